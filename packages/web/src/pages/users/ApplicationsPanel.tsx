/**
 * Each person, each app (like Entra's per-user provisioning panel): per application, assigned or
 * not and through which group, the role by name, the linked account in the target, the last provisioning
 * event with its result, a pending retry, and *Provision now*. Also what the last save did there.
 */
import { Alert, Anchor, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';
import type { Answer } from '../../api/types.ts';
import { useSession } from '../../auth/session.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { pushOutcome } from '../../lib/user-push.ts';
import { actionSentence, codeSentence, eventStatusWords, wordFor } from '../../lib/words.ts';

type UserApp = Answer<'/api/users/{id}/applications', 'get'>['items'][number];

const statusColor: Record<string, string> = { success: 'green', failed: 'red', skipped: 'gray' };
/** After a save, the panel reads again every 1.5 s for this long, so the push's outcome shows up. */
const WATCH_MS = 30_000;

export const userAppsKey = (userId: string) => ['user-applications', userId] as const;

export function useUserApplications(userId: string, savedAt: string | null) {
  const { can } = useSession();
  return useQuery({
    queryKey: userAppsKey(userId),
    queryFn: () => unwrap(api.GET('/api/users/{id}/applications', { params: { path: { id: userId } } })),
    enabled: can('view_apps'),
    refetchInterval: (q) => {
      if (!savedAt || Date.now() - Date.parse(savedAt) > WATCH_MS) return false;
      return q.state.data && pushOutcome(q.state.data.items, savedAt).kind !== 'sending' ? false : 1500;
    },
  });
}

/** What the last save did in the applications: replaces a bare "Saved.". */
export function SaveOutcome({ userId, savedAt }: { userId: string; savedAt: string }) {
  const apps = useUserApplications(userId, savedAt);
  const outcome = apps.data ? pushOutcome(apps.data.items, savedAt) : { kind: 'saved' as const };
  if (outcome.kind === 'failed') {
    return (
      <Alert color="red" role="alert" title="Saved in the directory, but not everywhere" data-testid="save-outcome">
        <Stack gap={4}>
          {outcome.failures.map((f) => (
            <Text size="sm" key={f.app}>
              <b>{f.app}</b>: {f.what}
              {f.advice ? ` What to do: ${f.advice}` : ''}
              {f.nextRetry ? ` Retried automatically at ${new Date(f.nextRetry).toLocaleTimeString()}.` : ''}
            </Text>
          ))}
        </Stack>
      </Alert>
    );
  }
  const text =
    outcome.kind === 'sending' ? `Saved. Sending the change to ${outcome.apps.join(', ')}…` : outcome.kind === 'sent' ? `Saved, and updated in ${outcome.apps.join(', ')}.` : 'Saved.';
  return (
    <Alert color={outcome.kind === 'sending' ? 'blue' : 'green'} data-testid="save-outcome">
      {text}
    </Alert>
  );
}

export function ApplicationsPanel({ userId, savedAt }: { userId: string; savedAt: string | null }) {
  const { can } = useSession();
  const apps = useUserApplications(userId, savedAt);
  if (!can('view_apps')) return null;
  return (
    <Card withBorder mt="md" aria-label="Applications">
      <Title order={2} size="h4" mb="xs">
        Applications
      </Title>
      {apps.isPending ? (
        <LoadingState />
      ) : apps.isError ? (
        <ErrorState error={apps.error} onRetry={() => void apps.refetch()} />
      ) : apps.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No applications yet.
        </Text>
      ) : (
        <Table aria-label="Applications of this user" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Application</Table.Th>
              <Table.Th>Assignment and role</Table.Th>
              <Table.Th>Target account</Table.Th>
              <Table.Th>Last provisioning</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {apps.data.items.map((a) => (
              <AppRow key={a.applicationId} userId={userId} app={a} mayProvision={can('manage_provisioning')} />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function AppRow({ userId, app: a, mayProvision }: { userId: string; app: UserApp; mayProvision: boolean }) {
  const qc = useQueryClient();
  const provision = useMutation({
    mutationFn: () => unwrap(api.POST('/api/apps/{id}/provisioning/on-demand', { params: { path: { id: a.applicationId } }, body: { userId } })),
    onSuccess: (r) => {
      notifications.show({ color: r.result === 'failed' ? 'red' : 'green', message: `${a.displayName}: provisioned on demand — ${r.result}.` });
      void qc.invalidateQueries({ queryKey: userAppsKey(userId) });
    },
    onError: (e) => notifications.show({ color: 'red', title: `${a.displayName}: not provisioned`, message: describeError(e) }),
  });
  const e = a.lastEvent;
  return (
    <Table.Tr data-testid="user-app-row">
      <Table.Td>
        <Anchor component={Link} to={`/apps/${a.applicationId}`} size="sm">
          {a.displayName}
        </Anchor>
        {!a.provisioningEnabled && (
          <Text size="xs" c="dimmed">
            Provisioning off
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {a.assigned ? (
          <Stack gap={2}>
            <Text size="sm">{a.roleName}</Text>
            <Text size="xs" c="dimmed">
              {a.via?.principalType === 'group' ? `Through group ${a.via.groupName ?? a.via.groupId}` : 'Assigned directly'}
            </Text>
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            Not assigned
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{a.targetId ?? '—'}</Text>
      </Table.Td>
      <Table.Td>
        {e ? (
          <Stack gap={2}>
            <Group gap={6}>
              <Badge size="sm" variant="light" color={statusColor[e.status] ?? 'gray'}>
                {wordFor(eventStatusWords, e.status)}
              </Badge>
              <Text size="sm">{actionSentence(e.action, e.objectType)}</Text>
            </Group>
            <Text size="xs" c="dimmed">
              {new Date(e.at).toLocaleString()}
            </Text>
            {e.status === 'failed' && (
              <Text size="xs" c="red" data-testid="user-app-error">
                {e.errorMessage ?? (e.errorCode ? codeSentence(e.errorCode) : '')}
                {e.advice ? ` — ${e.advice}` : ''}
              </Text>
            )}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            Nothing yet
          </Text>
        )}
        {a.escrow && (
          <Text size="xs" c="orange.8" data-testid="user-app-retry">
            Waiting to retry (attempt {a.escrow.attempts}): next at {new Date(a.escrow.nextAttemptAt).toLocaleString()}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {mayProvision && a.assigned && (
          <Button size="xs" variant="light" onClick={() => provision.mutate()} loading={provision.isPending}>
            Provision now
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
