/**
 * One user: edit every field and custom attribute (saved with If-Match; a stale edit shows what
 * collides and lets the admin reload or re-apply), activate / deactivate, delete with confirmation.
 */
import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ifMatch, unwrap } from '../../api/client.ts';
import { ApiError, describeError, fieldErrors } from '../../api/errors.ts';
import type { UpdateUserBody, User } from '../../api/types.ts';
import { useSession } from '../../auth/session.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { type Collision, type UserFormValues, changedFields, collisions, rebase, toFormErrors, toFormValues } from '../../lib/user-changes.ts';
import { ApplicationsPanel, SaveOutcome } from './ApplicationsPanel.tsx';
import { ConflictNotice } from './ConflictNotice.tsx';
import { SignInPanel } from './SignInPanel.tsx';
import { UserFields } from './UserFields.tsx';
import { useAttributes } from './use-attributes.ts';

export function UserPage() {
  const { id = '' } = useParams();
  const user = useQuery({ queryKey: ['user', id], queryFn: () => unwrap(api.GET('/api/users/{id}', { params: { path: { id } } })) });
  const attributes = useAttributes();
  if (user.isPending || attributes.isPending) return <LoadingState />;
  if (user.isError) return <ErrorState error={user.error} onRetry={() => void user.refetch()} />;
  return <UserEditor user={user.data} />;
}

function UserEditor({ user: loaded }: { user: User }) {
  const attributes = useAttributes();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { can } = useSession();
  const editable = can('manage_users');
  // What the form started from (the base of my edits) and its version.
  const [base, setBase] = useState<{ values: UserFormValues; version: number; user: User }>(() => ({ values: toFormValues(loaded, attributes.keys), version: loaded.version, user: loaded }));
  const [conflict, setConflict] = useState<{ collisions: Collision[]; latest: User } | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The server's time of the last save (the user's updatedAt): what it did in each application shows under the form.
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const form = useForm<UserFormValues>({ initialValues: base.values });
  const user = base.user;

  // A newer copy from elsewhere (status change, refetch) replaces an untouched form.
  useEffect(() => {
    if (loaded.version > base.version && !form.isDirty()) adopt(loaded);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- react only to a new server copy
  }, [loaded]);

  function adopt(latest: User, keepMine = false) {
    const values = toFormValues(latest, attributes.keys);
    setBase({ values, version: latest.version, user: latest });
    form.setInitialValues(values);
    if (!keepMine) form.setValues(values);
    qc.setQueryData(['user', latest.id], latest);
  }

  async function save(values: UserFormValues) {
    setError(null);
    setSavedAt(null);
    const body = changedFields(base.values, values, attributes.types);
    if (Object.keys(body).length === 0) {
      notifications.show({ message: 'Nothing changed.' });
      return;
    }
    try {
      const saved = await unwrap(api.PATCH('/api/users/{id}', { params: { path: { id: user.id } }, headers: ifMatch(base.version), body: body as UpdateUserBody }));
      setConflict(null);
      adopt(saved);
      await qc.invalidateQueries({ queryKey: ['users'] });
      setSavedAt(saved.updatedAt);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') {
        const latest = await unwrap(api.GET('/api/users/{id}', { params: { path: { id: user.id } } }));
        setConflict({ latest, collisions: collisions(base.values, values, toFormValues(latest, attributes.keys), attributes.labels) });
        return;
      }
      form.setErrors(toFormErrors(fieldErrors(e)));
      setError(describeError(e));
    }
  }

  async function setStatus(verb: 'activate' | 'deactivate') {
    try {
      const path = verb === 'activate' ? '/api/users/{id}/activate' : '/api/users/{id}/deactivate';
      const saved = await unwrap(api.POST(path, { params: { path: { id: user.id } }, headers: ifMatch(base.version) }));
      // Status is not a form field: unsaved edits stay in the form.
      adopt(saved, form.isDirty());
      await qc.invalidateQueries({ queryKey: ['users'] });
      notifications.show({ color: 'green', message: verb === 'activate' ? `${saved.displayName} is active.` : `${saved.displayName} is deactivated.` });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Not changed', message: describeError(e) });
      if (e instanceof ApiError && e.code === 'version_conflict') void qc.invalidateQueries({ queryKey: ['user', user.id] });
    }
  }

  function confirmDelete() {
    modals.openConfirmModal({
      title: `Delete ${user.displayName}?`,
      children: (
        <Text size="sm">
          {user.email} leaves the directory, their group memberships and application assignments. Applications that provision them remove their accounts as configured. This
          cannot be undone.
        </Text>
      ),
      labels: { confirm: 'Delete user', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: async () => {
        try {
          await unwrap(api.DELETE('/api/users/{id}', { params: { path: { id: user.id } }, headers: ifMatch(base.version) }));
          qc.removeQueries({ queryKey: ['user', user.id] });
          await qc.invalidateQueries({ queryKey: ['users'] });
          notifications.show({ color: 'green', message: `${user.displayName} deleted.` });
          void navigate('/users');
        } catch (e) {
          notifications.show({ color: 'red', title: 'Not deleted', message: describeError(e) });
        }
      },
    });
  }

  return (
    <>
      <PageHeader
        title={user.displayName}
        description={
          <Group gap="xs" component="span">
            <span>{user.email}</span>
            <Badge color={user.status === 'active' ? 'green' : 'gray'}>{user.status}</Badge>
          </Group>
        }
        actions={
          editable && (
            <>
              {user.status === 'active' ? (
                <Button variant="default" onClick={() => void setStatus('deactivate')}>
                  Deactivate
                </Button>
              ) : (
                <Button variant="default" onClick={() => void setStatus('activate')}>
                  Activate
                </Button>
              )}
              <Button color="red" variant="light" onClick={confirmDelete}>
                Delete
              </Button>
            </>
          )
        }
      />
      <Button component={Link} to="/users" variant="subtle" size="xs" mb="sm" px={0}>
        ← All users
      </Button>
      <Card withBorder>
        <form noValidate onSubmit={form.onSubmit((v) => save(v))}>
          <Stack>
            {conflict && (
              <ConflictNotice
                collisions={conflict.collisions}
                onReload={() => {
                  adopt(conflict.latest);
                  setConflict(null);
                }}
                onKeepMine={() => {
                  const merged = rebase(base.values, form.getValues(), toFormValues(conflict.latest, attributes.keys));
                  adopt(conflict.latest, true);
                  form.setValues(merged);
                  setConflict(null);
                }}
              />
            )}
            {error && (
              <Alert color="red" role="alert" title="Not saved">
                {error}
              </Alert>
            )}
            {savedAt && !form.isDirty() && <SaveOutcome userId={user.id} savedAt={savedAt} />}
            {!editable && <Text size="sm">You can read this user; changing users needs the manage users permission.</Text>}
            <UserFields form={form} attributes={attributes.items} disabled={!editable} />
            {editable && (
              <Group justify="flex-end">
                <Button variant="default" onClick={() => form.setValues(base.values)} disabled={!form.isDirty()}>
                  Discard changes
                </Button>
                <Button type="submit" loading={form.submitting}>
                  Save
                </Button>
              </Group>
            )}
            <Text size="xs" c="dimmed" data-volatile>
              Version {user.version} · created {new Date(user.createdAt).toLocaleString()} · updated {new Date(user.updatedAt).toLocaleString()}
            </Text>
          </Stack>
        </form>
      </Card>
      <ApplicationsPanel userId={user.id} savedAt={savedAt} />
      <SignInPanel userId={user.id} userActive={user.status === 'active'} />
      <UserGroups userId={user.id} />
    </>
  );
}

/** The groups this user is a direct member of (membership is managed on each group's page). */
function UserGroups({ userId }: { userId: string }) {
  const groups = useQuery({ queryKey: ['groups', { memberUserId: userId }], queryFn: () => unwrap(api.GET('/api/groups', { params: { query: { memberUserId: userId, limit: 100 } } })) });
  return (
    <Card withBorder mt="md">
      <Title order={2} size="h4" mb="xs">
        Groups
      </Title>
      {groups.isPending ? (
        <LoadingState />
      ) : groups.isError ? (
        <ErrorState error={groups.error} onRetry={() => void groups.refetch()} />
      ) : groups.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Not a direct member of any group.
        </Text>
      ) : (
        <Group gap="xs">
          {groups.data.items.map((g) => (
            <Badge key={g.id} component={Link} to={`/groups/${g.id}`} variant="light" style={{ cursor: 'pointer' }}>
              {g.name}
            </Badge>
          ))}
        </Group>
      )}
    </Card>
  );
}
