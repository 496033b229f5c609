/**
 * The user's sign-in to the portal (directory users' realm): status (never / invited / active),
 * second factors, the invitation and reset emails, and the sessions with Revoke.
 */
import { Alert, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';
import { useSession } from '../../auth/session.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';

const statusWords = { never: 'Never invited', invited: 'Invited', active: 'Active' } as const;
const statusColor = { never: 'gray', invited: 'yellow', active: 'green' } as const;

export function SignInPanel({ userId, userActive }: { userId: string; userActive: boolean }) {
  const { can } = useSession();
  const qc = useQueryClient();
  const key = ['user-sign-in', userId];
  const status = useQuery({ queryKey: key, queryFn: () => unwrap(api.GET('/api/users/{id}/sign-in', { params: { path: { id: userId } } })), enabled: can('manage_users') });
  const send = useMutation({
    mutationFn: (kind: 'invite' | 'reset') =>
      kind === 'invite'
        ? unwrap(api.POST('/api/users/{id}/sign-in/invite', { params: { path: { id: userId } } }))
        : unwrap(api.POST('/api/users/{id}/sign-in/reset', { params: { path: { id: userId } } })),
    onSuccess: async (r, kind) => {
      notifications.show({ color: 'green', message: `${kind === 'invite' ? 'Invitation' : 'Password reset'} sent to ${r.sentTo}` });
      await qc.invalidateQueries({ queryKey: key });
    },
    onError: (e) => notifications.show({ color: 'red', title: 'Not sent', message: describeError(e) }),
  });
  const revoke = useMutation({
    mutationFn: (sessionId: string | null) =>
      sessionId
        ? unwrap(api.DELETE('/api/users/{id}/sign-in/sessions/{sessionId}', { params: { path: { id: userId, sessionId } } }))
        : unwrap(api.DELETE('/api/users/{id}/sign-in/sessions', { params: { path: { id: userId } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
    onError: (e) => notifications.show({ color: 'red', message: describeError(e) }),
  });
  if (!can('manage_users')) return null;
  return (
    <Card withBorder data-testid="sign-in-panel">
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h4">
            Sign-in
          </Title>
          {status.data && <Badge color={statusColor[status.data.status]}>{statusWords[status.data.status]}</Badge>}
        </Group>
        {status.isPending && <LoadingState />}
        {status.isError && <ErrorState error={status.error} onRetry={() => void status.refetch()} />}
        {status.data && (
          <>
            <Text size="sm">
              Second factors: {status.data.totp ? 'authenticator app' : 'no authenticator app'}, {status.data.passkeys} passkey{status.data.passkeys === 1 ? '' : 's'}.
              {status.data.lastSignInAt && ` Last sign-in ${new Date(status.data.lastSignInAt).toLocaleString()}.`}
            </Text>
            {!userActive && <Alert color="gray">The user is inactive: they cannot sign in.</Alert>}
            <Group>
              <Button variant="default" disabled={!userActive} loading={send.isPending && send.variables === 'invite'} onClick={() => send.mutate('invite')}>
                {status.data.status === 'never' ? 'Send invitation' : 'Send invitation again'}
              </Button>
              <Button variant="default" disabled={!userActive || status.data.status !== 'active'} loading={send.isPending && send.variables === 'reset'} onClick={() => send.mutate('reset')}>
                Send password reset
              </Button>
            </Group>
            <Group justify="space-between">
              <Text fw={600} size="sm">
                Sessions ({status.data.sessions.length})
              </Text>
              {status.data.sessions.length > 0 && (
                <Button size="xs" variant="subtle" color="red" onClick={() => revoke.mutate(null)}>
                  Revoke all
                </Button>
              )}
            </Group>
            {status.data.sessions.length > 0 && (
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Signed in</Table.Th>
                    <Table.Th>Last seen</Table.Th>
                    <Table.Th>How</Table.Th>
                    <Table.Th>From</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {status.data.sessions.map((s) => (
                    <Table.Tr key={s.id}>
                      <Table.Td>{new Date(s.createdAt).toLocaleString()}</Table.Td>
                      <Table.Td>{new Date(s.lastSeenAt).toLocaleString()}</Table.Td>
                      <Table.Td>
                        {s.method}
                        {s.stage !== 'full' && ' (not finished)'}
                      </Table.Td>
                      <Table.Td>{s.address ?? '—'}</Table.Td>
                      <Table.Td>
                        <Button size="xs" variant="subtle" color="red" onClick={() => revoke.mutate(s.id)}>
                          Revoke
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}
