/**
 * One group: rename / describe (If-Match), delete with confirmation, and its members — direct
 * members (users and nested groups) to add and remove, or every user it covers through nesting.
 */
import { Alert, Badge, Button, Card, Group as Row, SegmentedControl, Stack, Text, TextInput, Textarea, Title, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ifMatch, unwrap } from '../../api/client.ts';
import { ApiError, describeError, fieldErrors } from '../../api/errors.ts';
import type { Group, GroupMember } from '../../api/types.ts';
import { useSession } from '../../auth/session.tsx';
import { CursorPager } from '../../components/CursorPager.tsx';
import { DirectoryPicker, parsePicked } from '../../components/DirectoryPicker.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { currentCursor, firstPage, nextPage, pageNumber, previousPage } from '../../lib/cursor-pages.ts';

export function GroupPage() {
  const { id = '' } = useParams();
  const group = useQuery({ queryKey: ['group', id], queryFn: () => unwrap(api.GET('/api/groups/{id}', { params: { path: { id } } })) });
  if (group.isPending) return <LoadingState />;
  if (group.isError) return <ErrorState error={group.error} onRetry={() => void group.refetch()} />;
  return <GroupView group={group.data} />;
}

function GroupView({ group }: { group: Group }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { can } = useSession();
  const editable = can('manage_users');
  const [conflict, setConflict] = useState(false);
  const form = useForm({ initialValues: { name: group.name, description: group.description ?? '' } });
  useEffect(() => {
    if (!form.isDirty()) {
      form.setInitialValues({ name: group.name, description: group.description ?? '' });
      form.setValues({ name: group.name, description: group.description ?? '' });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- follow the server copy while untouched
  }, [group]);

  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ['group', group.id] });
    await qc.invalidateQueries({ queryKey: ['groups'] });
  };

  function confirmDelete() {
    modals.openConfirmModal({
      title: `Delete the group ${group.name}?`,
      children: <Text size="sm">Its members stay in the directory; applications assigned to this group stop covering them.</Text>,
      labels: { confirm: 'Delete group', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: async () => {
        try {
          await unwrap(api.DELETE('/api/groups/{id}', { params: { path: { id: group.id } }, headers: ifMatch(group.version) }));
          qc.removeQueries({ queryKey: ['group', group.id] });
          await qc.invalidateQueries({ queryKey: ['groups'] });
          notifications.show({ color: 'green', message: `Group ${group.name} deleted.` });
          void navigate('/groups');
        } catch (e) {
          notifications.show({ color: 'red', title: 'Not deleted', message: describeError(e) });
        }
      },
    });
  }

  return (
    <>
      <PageHeader
        title={group.name}
        description={`${group.memberCounts.users} direct users, ${group.memberCounts.groups} nested groups`}
        actions={
          editable && (
            <Button color="red" variant="light" onClick={confirmDelete}>
              Delete group
            </Button>
          )
        }
      />
      <Button component={Link} to="/groups" variant="subtle" size="xs" mb="sm" px={0}>
        ← All groups
      </Button>
      <Stack>
        {editable && (
          <Card withBorder>
            <form
              noValidate
              onSubmit={form.onSubmit(async (v) => {
                setConflict(false);
                try {
                  await unwrap(api.PATCH('/api/groups/{id}', { params: { path: { id: group.id } }, headers: ifMatch(group.version), body: { name: v.name.trim(), description: v.description.trim() || null } as never }));
                  form.resetDirty(v);
                  await refresh();
                  notifications.show({ color: 'green', message: 'Saved.' });
                } catch (e) {
                  if (e instanceof ApiError && e.code === 'version_conflict') setConflict(true);
                  else form.setErrors({ ...fieldErrors(e), ...(Object.keys(fieldErrors(e)).length ? {} : { name: describeError(e) }) });
                }
              })}
            >
              <Stack>
                {conflict && (
                  <Alert color="orange" role="alert" title="Someone else changed this group while you were editing">
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => {
                        setConflict(false);
                        form.resetDirty();
                        void refresh();
                      }}
                    >
                      Reload their version
                    </Button>
                  </Alert>
                )}
                <Row grow align="flex-start">
                  <TextInput label="Name" required {...form.getInputProps('name')} />
                  <Textarea label="Description" autosize minRows={1} {...form.getInputProps('description')} />
                </Row>
                <Row justify="flex-end">
                  <Button type="submit" variant="default" disabled={!form.isDirty()} loading={form.submitting}>
                    Save
                  </Button>
                </Row>
              </Stack>
            </form>
          </Card>
        )}
        <Members group={group} editable={editable} onChanged={refresh} />
      </Stack>
    </>
  );
}

function Members({ group, editable, onChanged }: { group: Group; editable: boolean; onChanged: () => Promise<void> }) {
  const qc = useQueryClient();
  const [view, setView] = useState<'direct' | 'all'>('direct');
  const [pages, setPages] = useState(firstPage);
  const [picked, setPicked] = useState<{ value: string | null; label: string }>({ value: null, label: '' });
  const [adding, setAdding] = useState(false);
  const query = { limit: 50, transitive: view === 'all' ? 'true' : 'false', ...(currentCursor(pages) ? { cursor: currentCursor(pages) as string } : {}) } as const;
  const members = useQuery({
    queryKey: ['group-members', group.id, query],
    queryFn: () => unwrap(api.GET('/api/groups/{id}/members', { params: { path: { id: group.id }, query: query as never } })),
    placeholderData: keepPreviousData,
  });
  const reload = async () => {
    await qc.invalidateQueries({ queryKey: ['group-members', group.id] });
    await onChanged();
  };

  async function add() {
    const m = picked.value ? parsePicked(picked.value, picked.label) : null;
    if (!m) return;
    setAdding(true);
    try {
      await unwrap(api.POST('/api/groups/{id}/members', { params: { path: { id: group.id } }, body: { memberType: m.memberType, memberId: m.memberId } }));
      setPicked({ value: null, label: '' });
      await reload();
      notifications.show({ color: 'green', message: `${m.label} added to ${group.name}.` });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Not added', message: describeError(e) });
    } finally {
      setAdding(false);
    }
  }

  async function remove(m: GroupMember) {
    try {
      await unwrap(api.DELETE('/api/groups/{id}/members/{memberType}/{memberId}', { params: { path: { id: group.id, memberType: m.memberType, memberId: m.memberId } } }));
      await reload();
      notifications.show({ color: 'green', message: `${m.name} removed from ${group.name}.` });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Not removed', message: describeError(e) });
    }
  }

  return (
    <Card withBorder>
      <Stack>
        <Row justify="space-between" align="flex-end">
          <Title order={2} size="h4">
            Members
          </Title>
          <SegmentedControl
            aria-label="Which members"
            value={view}
            onChange={(v) => {
              setView(v as 'direct' | 'all');
              setPages(firstPage());
            }}
            data={[
              { value: 'direct', label: 'Direct members' },
              { value: 'all', label: 'All users, through nesting' },
            ]}
          />
        </Row>
        {editable && view === 'direct' && (
          <Row align="flex-end">
            <div style={{ flex: 1, minWidth: 220 }}>
              <DirectoryPicker label="Add a user or group" value={picked.value} onChange={(value, label) => setPicked({ value, label })} excludeGroupId={group.id} />
            </div>
            <Button onClick={() => void add()} disabled={!picked.value} loading={adding}>
              Add member
            </Button>
          </Row>
        )}
        {members.isError ? (
          <ErrorState error={members.error} onRetry={() => void members.refetch()} />
        ) : (
          <DataTable<GroupMember>
            aria-label="Members"
            withTableBorder
            minHeight={members.data?.items.length ? 0 : 160}
            fetching={members.isFetching}
            records={members.data?.items ?? []}
            idAccessor={(m) => `${m.memberType}:${m.memberId}`}
            noRecordsText=""
            emptyState={members.isPending ? <span /> : <EmptyState title="No members yet">{editable ? 'Add users or groups above.' : ''}</EmptyState>}
            columns={[
              { accessor: 'name', render: (m) => <Link to={m.memberType === 'user' ? `/users/${m.memberId}` : `/groups/${m.memberId}`}>{m.name}</Link> },
              { accessor: 'memberType', title: 'Type', render: (m) => <Badge variant="light">{m.memberType}</Badge> },
              { accessor: 'email', visibleMediaQuery: (t) => `(min-width: ${t.breakpoints.sm})` },
              { accessor: 'status', render: (m) => (m.status ? <Badge color={m.status === 'active' ? 'green' : 'gray'}>{m.status}</Badge> : null) },
              ...(editable && view === 'direct'
                ? [
                    {
                      accessor: 'actions',
                      title: <VisuallyHidden>Actions</VisuallyHidden>,
                      textAlign: 'right' as const,
                      render: (m: GroupMember) => (
                        <Button size="compact-xs" variant="subtle" color="red" aria-label={`Remove ${m.name}`} onClick={() => void remove(m)}>
                          Remove
                        </Button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
        <CursorPager page={pageNumber(pages)} hasNext={Boolean(members.data?.nextCursor)} busy={members.isFetching} onPrevious={() => setPages(previousPage)} onNext={() => setPages((p) => nextPage(p, members.data?.nextCursor))} />
      </Stack>
    </Card>
  );
}
