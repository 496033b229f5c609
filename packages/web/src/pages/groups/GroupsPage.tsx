/** Groups: search by name prefix, cursor paging, create. */
import { Button, Group as Row, Modal, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { describeError, fieldErrors } from '../../api/errors.ts';
import type { Group } from '../../api/types.ts';
import { useSession } from '../../auth/session.tsx';
import { CursorPager } from '../../components/CursorPager.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyState, ErrorState } from '../../components/states.tsx';
import { currentCursor, firstPage, nextPage, pageNumber, previousPage } from '../../lib/cursor-pages.ts';

export function GroupsPage() {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [pages, setPages] = useState(firstPage);
  const [creating, { open, close }] = useDisclosure(false);
  const { can } = useSession();
  const query = { limit: 50, ...(q ? { q } : {}), ...(currentCursor(pages) ? { cursor: currentCursor(pages) as string } : {}) };
  const groups = useQuery({ queryKey: ['groups', query], queryFn: () => unwrap(api.GET('/api/groups', { params: { query } })), placeholderData: keepPreviousData });

  return (
    <>
      <PageHeader title="Groups" description="Named sets of users and groups. Assigning a group to an application covers its members, nested groups included." actions={can('manage_users') && <Button onClick={open}>Add group</Button>} />
      <TextInput
        label="Search"
        type="search"
        placeholder="Start of the name"
        value={search}
        onChange={(e) => {
          setSearch(e.currentTarget.value);
          setPages(firstPage());
        }}
        w={{ base: '100%', xs: 260 }}
        mb="sm"
      />
      {groups.isError ? (
        <ErrorState error={groups.error} onRetry={() => void groups.refetch()} />
      ) : (
        <DataTable<Group>
          aria-label="Groups"
          withTableBorder
          striped
          highlightOnHover
          minHeight={groups.data?.items.length ? 0 : 200}
          fetching={groups.isFetching}
          records={groups.data?.items ?? []}
          noRecordsText=""
          emptyState={groups.isPending ? <span /> : <EmptyState title={q ? 'No group matches' : 'No groups yet'}>{q ? 'Change the search.' : 'Add a group, then add users and groups to it.'}</EmptyState>}
          columns={[
            { accessor: 'name', render: (g) => <Link to={`/groups/${g.id}`}>{g.name}</Link> },
            { accessor: 'description', visibleMediaQuery: (t) => `(min-width: ${t.breakpoints.sm})` },
            { accessor: 'memberCounts.users', title: 'Users' },
            { accessor: 'memberCounts.groups', title: 'Groups' },
          ]}
        />
      )}
      <CursorPager page={pageNumber(pages)} hasNext={Boolean(groups.data?.nextCursor)} busy={groups.isFetching} onPrevious={() => setPages(previousPage)} onNext={() => setPages((p) => nextPage(p, groups.data?.nextCursor))} />
      <CreateGroupModal opened={creating} onClose={close} />
    </>
  );
}

function CreateGroupModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const form = useForm({ initialValues: { name: '', description: '' }, validate: { name: (v) => (v.trim() ? null : 'Enter a name') } });
  return (
    <Modal opened={opened} onClose={onClose} title="Add group">
      <form
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          try {
            const g = await unwrap(api.POST('/api/groups', { body: { name: v.name.trim(), ...(v.description.trim() ? { description: v.description.trim() } : {}) } }));
            await qc.invalidateQueries({ queryKey: ['groups'] });
            notifications.show({ color: 'green', message: `Group ${g.name} added.` });
            form.reset();
            onClose();
            void navigate(`/groups/${g.id}`);
          } catch (e) {
            form.setErrors({ ...fieldErrors(e), ...(Object.keys(fieldErrors(e)).length ? {} : { name: describeError(e) }) });
          }
        })}
      >
        <Stack>
          <TextInput label="Name" required {...form.getInputProps('name')} />
          <Textarea label="Description" autosize minRows={2} {...form.getInputProps('description')} />
          <Row justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Add group
            </Button>
          </Row>
        </Stack>
      </form>
    </Modal>
  );
}
