/**
 * Users and groups of an application (guide A step 11, guide B step 2): who is assigned and with
 * which role; assign users or groups (several at once, with one role picked from the account's
 * roles), change a role (If-Match), unassign. Default Access means assigned but not provisioned.
 */
import { Alert, Badge, Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { modals } from '@mantine/modals';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ifMatch, unwrap } from '../../api/client.ts';
import { ApiError, describeError } from '../../api/errors.ts';
import { useSession } from '../../auth/session.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { unassignEffect } from '../../lib/apps/provisioning-view.ts';
import { type AppView, type Assignment, type RoleOption, appKeys, useConfig, useRoleOptions } from './app-api.ts';
import { AssignModal } from './AssignModal.tsx';

export function AssignmentsTab({ app }: { app: AppView }) {
  const { admin } = useSession();
  const mayAssign = admin?.permissions.includes('assign_apps') ?? false;
  const config = useConfig(app.id);
  const roles = useRoleOptions(app.id, app, config.data?.connection.connected ?? false);
  const [assigning, setAssigning] = useState(false);
  const assignments = useQuery({
    queryKey: appKeys.assignments(app.id),
    queryFn: () => unwrap(api.GET('/api/apps/{id}/assignments', { params: { path: { id: app.id }, query: { limit: 500 } } })),
  });

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Assigned users, and members of assigned groups, are provisioned with the assignment's role. Default Access: assigned but not provisioned.
        </Text>
        {mayAssign && <Button onClick={() => setAssigning(true)}>Assign users or groups</Button>}
      </Group>
      {roles.error && (
        <Alert color="yellow" title="The account's roles could not be read">
          {describeError(roles.error)} The built-in roles are offered meanwhile.
        </Alert>
      )}
      {assignments.isLoading && <LoadingState />}
      {assignments.error && <ErrorState error={assignments.error} onRetry={() => void assignments.refetch()} />}
      {assignments.data && assignments.data.items.length === 0 && <EmptyState title="Nobody is assigned">Assign one user first to try provisioning, then more.</EmptyState>}
      {assignments.data && assignments.data.items.length > 0 && (
        <Table striped aria-label="Assignments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {assignments.data.items.map((a) => (
              <AssignmentRow key={a.id} app={app} assignment={a} roles={roles.options} mayAssign={mayAssign} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {assigning && <AssignModal app={app} roles={roles.options} onClose={() => setAssigning(false)} />}
    </Stack>
  );
}

function AssignmentRow({ app, assignment: a, roles, mayAssign }: { app: AppView; assignment: Assignment; roles: RoleOption[]; mayAssign: boolean }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: appKeys.assignments(app.id) });
  const config = useConfig(app.id).data;
  const options = roles.some((r) => r.key === a.role) ? roles : [...roles, { key: a.role, label: a.roleLabel }];
  const change = useMutation({
    mutationFn: (role: string) =>
      unwrap(
        api.PATCH('/api/apps/{id}/assignments/{assignmentId}', {
          params: { path: { id: app.id, assignmentId: a.id } },
          headers: ifMatch(a.version),
          body: { role, roleLabel: options.find((r) => r.key === role)?.label ?? role },
        }),
      ),
    onSuccess: (u) => {
      notifications.show({ color: 'green', message: `${a.principalName} is now ${u.roleLabel}.` });
      void refresh();
    },
    onError: (e) => {
      const stale = e instanceof ApiError && e.code === 'version_conflict';
      notifications.show({ color: 'red', title: stale ? 'Changed by someone else' : 'Role not changed', message: stale ? 'This assignment changed since the page loaded; the list is reloaded.' : describeError(e) });
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/apps/{id}/assignments/{assignmentId}', { params: { path: { id: app.id, assignmentId: a.id } } })),
    onSuccess: () => {
      notifications.show({ color: 'green', message: `${a.principalName} is unassigned.` });
      void refresh();
    },
    onError: (e) => notifications.show({ color: 'red', title: 'Not unassigned', message: describeError(e) }),
  });
  const confirmRemove = () =>
    modals.openConfirmModal({
      title: `Unassign ${a.principalName}?`,
      children: (
        <Text size="sm" data-testid="unassign-effect">
          {config ? unassignEffect(config, app.typeName, a.principalType === 'group') : `Per the sync actions, their ${app.typeName} account${a.principalType === 'group' ? 's' : ''} will be deleted or suspended.`}
        </Text>
      ),
      labels: { confirm: 'Unassign', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () => remove.mutate(),
    });

  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm">{a.principalName}</Text>
        {a.principalEmail && (
          <Text size="xs" c="dimmed">
            {a.principalEmail}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={a.principalType === 'group' ? 'grape' : 'blue'}>
          {a.principalType}
        </Badge>
      </Table.Td>
      <Table.Td>
        {mayAssign ? (
          <Select
            aria-label={`Role of ${a.principalName}`}
            data={options.map((r) => ({ value: r.key, label: r.label }))}
            value={a.role}
            onChange={(v) => v && v !== a.role && change.mutate(v)}
            allowDeselect={false}
            disabled={change.isPending}
            size="xs"
            maw={260}
          />
        ) : (
          a.roleLabel
        )}
      </Table.Td>
      <Table.Td>
        {mayAssign && (
          <Button size="xs" variant="subtle" color="red" onClick={confirmRemove} loading={remove.isPending} aria-label={`Unassign ${a.principalName}`}>
            Unassign
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
