/**
 * Admins: who may sign in and what each may do (the setup guides' Organization Owner / Admin and
 * permissions). Add an admin (one-time password shown once), change permissions, reset a password,
 * disable / enable. A reset or a disable revokes the admin's API tokens; the notice says how many.
 */
import { Badge, Button, Checkbox, Group, Modal, Select, Stack, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { api, ifMatch, unwrap } from '../../api/client.ts';
import { ApiError, describeError, fieldErrors } from '../../api/errors.ts';
import type { AdminView, Permission } from '../../api/types.ts';
import { useSession } from '../../auth/session.tsx';
import { CursorPager } from '../../components/CursorPager.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SecretOnce } from '../../components/SecretOnce.tsx';
import { EmptyState, ErrorState } from '../../components/states.tsx';
import { tokensRevokedWords } from '../../lib/admin-words.ts';
import { currentCursor, firstPage, nextPage, pageNumber, previousPage } from '../../lib/cursor-pages.ts';

function usePermissions() {
  return useQuery({ queryKey: ['permissions'], queryFn: () => unwrap(api.GET('/api/permissions')), staleTime: Infinity });
}

export function AdminsPage() {
  const [pages, setPages] = useState(firstPage);
  const [adding, { open, close }] = useDisclosure(false);
  const [editing, setEditing] = useState<AdminView | null>(null);
  const [secret, setSecret] = useState<{ email: string; value: string } | null>(null);
  const { admin: me } = useSession();
  const qc = useQueryClient();
  const cursor = currentCursor(pages);
  const query = { limit: 50, ...(cursor ? { cursor } : {}) };
  const admins = useQuery({ queryKey: ['admins', query], queryFn: () => unwrap(api.GET('/api/admins', { params: { query } })), placeholderData: keepPreviousData });

  async function setStatus(a: AdminView, status: 'active' | 'disabled') {
    try {
      const r = await unwrap(api.PATCH('/api/admins/{id}', { params: { path: { id: a.id } }, headers: ifMatch(a.version), body: { status } }));
      await qc.invalidateQueries({ queryKey: ['admins'] });
      notifications.show({ color: 'green', message: status === 'disabled' ? `${a.email} is disabled; their sessions ended and ${tokensRevokedWords(r.tokensRevoked ?? 0)}.` : `${a.email} is enabled.` });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Not changed', message: describeError(e) });
    }
  }

  function confirmResetPassword(a: AdminView) {
    modals.openConfirmModal({
      title: `Reset the password of ${a.email}?`,
      children: <Text size="sm">They get a one-time password, shown here once. Their sessions end and their API tokens are revoked; they choose a new password at next sign-in.</Text>,
      labels: { confirm: 'Reset password', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: async () => {
        try {
          const r = await unwrap(api.POST('/api/admins/{id}/password', { params: { path: { id: a.id } }, body: {} }));
          await qc.invalidateQueries({ queryKey: ['admins'] });
          if (r.oneTimePassword) setSecret({ email: a.email, value: r.oneTimePassword });
          notifications.show({ color: 'green', message: `Password of ${a.email} reset; their sessions ended and ${tokensRevokedWords(r.tokensRevoked)}.` });
        } catch (e) {
          notifications.show({ color: 'red', title: 'Not reset', message: describeError(e) });
        }
      },
    });
  }

  return (
    <>
      <PageHeader title="Admins" description="People who can sign in to Roster, with their role and permissions." actions={<Button onClick={open}>Add admin</Button>} />
      <Stack>
        {secret && <SecretOnce title={`One-time password of ${secret.email}`} value={secret.value}>{'Give it to them privately; they choose their own password at first sign-in. It is shown only once.'}</SecretOnce>}
        {admins.isError ? (
          <ErrorState error={admins.error} onRetry={() => void admins.refetch()} />
        ) : (
          <DataTable<AdminView>
            aria-label="Admins"
            withTableBorder
            minHeight={admins.data?.items.length ? 0 : 160}
            fetching={admins.isFetching}
            records={admins.data?.items ?? []}
            noRecordsText=""
            emptyState={admins.isPending ? <span /> : <EmptyState title="No admins" />}
            columns={[
              { accessor: 'email' },
              { accessor: 'name', visibleMediaQuery: (t) => `(min-width: ${t.breakpoints.sm})` },
              { accessor: 'role', render: (a) => <Badge variant="light">{a.role === 'owner' ? 'Organization Owner' : 'Organization Admin'}</Badge> },
              { accessor: 'permissions', render: (a) => (a.role === 'owner' ? 'all' : a.permissions.join(', ') || 'none'), visibleMediaQuery: (t) => `(min-width: ${t.breakpoints.md})` },
              { accessor: 'status', render: (a) => <Badge color={a.status === 'active' ? 'green' : 'gray'}>{a.status}</Badge> },
              {
                accessor: 'actions',
                title: <VisuallyHidden>Actions</VisuallyHidden>,
                textAlign: 'right',
                render: (a) =>
                  a.id === me?.id ? (
                    <Text size="xs" c="dimmed">
                      you
                    </Text>
                  ) : (
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button size="compact-xs" variant="subtle" aria-label={`Edit ${a.email}`} onClick={() => setEditing(a)}>
                        Edit
                      </Button>
                      <Button size="compact-xs" variant="subtle" aria-label={`Reset password of ${a.email}`} onClick={() => confirmResetPassword(a)}>
                        Reset password
                      </Button>
                      <Button size="compact-xs" variant="subtle" color={a.status === 'active' ? 'red' : 'green'} aria-label={`${a.status === 'active' ? 'Disable' : 'Enable'} ${a.email}`} onClick={() => void setStatus(a, a.status === 'active' ? 'disabled' : 'active')}>
                        {a.status === 'active' ? 'Disable' : 'Enable'}
                      </Button>
                    </Group>
                  ),
              },
            ]}
          />
        )}
        <CursorPager page={pageNumber(pages)} hasNext={Boolean(admins.data?.nextCursor)} busy={admins.isFetching} onPrevious={() => setPages(previousPage)} onNext={() => setPages((p) => nextPage(p, admins.data?.nextCursor))} />
      </Stack>
      <AdminModal opened={adding} onClose={close} onCreated={(email, value) => setSecret({ email, value })} />
      {editing && <AdminModal opened admin={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function AdminModal({ opened, onClose, admin, onCreated }: { opened: boolean; onClose: () => void; admin?: AdminView; onCreated?: (email: string, oneTimePassword: string) => void }) {
  const perms = usePermissions();
  const qc = useQueryClient();
  const defaults: Permission[] = ['view_apps', 'assign_apps', 'import_users', 'manage_users', 'view_logs'];
  const form = useForm({
    initialValues: { email: admin?.email ?? '', name: admin?.name ?? '', role: admin?.role ?? 'admin', permissions: (admin?.permissions ?? defaults) as string[] },
    validate: { email: (v) => (v.trim() ? null : 'Enter an email'), name: (v) => (v.trim() ? null : 'Enter a name') },
  });
  const role = form.getValues().role;
  return (
    <Modal opened={opened} onClose={onClose} title={admin ? `Edit ${admin.email}` : 'Add admin'}>
      <form
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          const body = { email: v.email.trim(), name: v.name.trim(), role: v.role as 'owner' | 'admin', ...(v.role === 'admin' ? { permissions: v.permissions as Permission[] } : {}) };
          try {
            if (admin) {
              await unwrap(api.PATCH('/api/admins/{id}', { params: { path: { id: admin.id } }, headers: ifMatch(admin.version), body }));
            } else {
              const r = (await unwrap(api.POST('/api/admins', { body }))) as { admin: AdminView; oneTimePassword?: string };
              if (r.oneTimePassword) onCreated?.(r.admin.email, r.oneTimePassword);
            }
            await qc.invalidateQueries({ queryKey: ['admins'] });
            notifications.show({ color: 'green', message: admin ? 'Saved.' : `${v.email.trim()} added.` });
            form.reset();
            onClose();
          } catch (e) {
            const fe = fieldErrors(e);
            form.setErrors(Object.keys(fe).length ? fe : { email: e instanceof ApiError && e.code === 'version_conflict' ? 'Someone else changed this admin meanwhile: close and open it again.' : describeError(e) });
          }
        })}
      >
        <Stack>
          <TextInput label="Email" required {...form.getInputProps('email')} />
          <TextInput label="Name" required {...form.getInputProps('name')} />
          <Select
            label="Role"
            allowDeselect={false}
            data={[
              { value: 'admin', label: 'Organization Admin (the permissions below)' },
              { value: 'owner', label: 'Organization Owner (every permission)' },
            ]}
            {...form.getInputProps('role')}
          />
          {role === 'admin' && (
            <Checkbox.Group label="Permissions" {...form.getInputProps('permissions')}>
              <Stack gap={6} mt={6}>
                {(perms.data?.items ?? []).map((p) => (
                  <Checkbox key={p.name} value={p.name} label={p.name.replace(/_/g, ' ')} description={p.description} />
                ))}
              </Stack>
            </Checkbox.Group>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              {admin ? 'Save' : 'Add admin'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
