/**
 * What needs attention on the Overview: objects waiting for a retry (escrow) with Retry now, the
 * last failure notifications, and Restart (cancel the running cycle, clear escrow and quarantine,
 * keep or reset links, then run an initial cycle).
 */
import { Button, Card, Group, Radio, Stack, Table, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { actionSentence, eventStatusWords, notificationStatusWords, wordFor } from '../../lib/words.ts';
import { api, ifMatch, unwrap } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';
import { type ConfigView, appKeys, useTypeName } from './app-api.ts';

export function HealthSection({ config, mayManage }: { config: ConfigView; mayManage: boolean }) {
  const queryClient = useQueryClient();
  const path = { id: config.applicationId };
  const escrow = useQuery({ queryKey: [...appKeys.config(config.applicationId), 'escrow'], queryFn: () => unwrap(api.GET('/api/apps/{id}/provisioning/escrow', { params: { path, query: { limit: 20 } } })), refetchInterval: 10_000 });
  const notes = useQuery({ queryKey: [...appKeys.config(config.applicationId), 'notifications'], queryFn: () => unwrap(api.GET('/api/apps/{id}/provisioning/notifications', { params: { path, query: { limit: 5 } } })) });
  const [retried, setRetried] = useState<RetryRun | null>(null);
  const retry = useMutation({
    mutationFn: async () => {
      const since = new Date(Date.now() - 1000).toISOString();
      const before = new Map((escrow.data?.items ?? []).map((w) => [w.directoryId, w]));
      const r = await unwrap(api.POST('/api/apps/{id}/provisioning/escrow/retry', { params: { path }, body: {} }));
      return { since, items: r.directoryIds.map((id) => ({ directoryId: id, identity: before.get(id)?.identity ?? id, attempt: (before.get(id)?.attempts ?? 0) + 1 })) };
    },
    onSuccess: (r) => {
      setRetried(r);
      notifications.show({ color: 'green', message: `${r.items.length} retried now.` });
      void queryClient.invalidateQueries({ queryKey: [...appKeys.config(config.applicationId), 'escrow'] });
    },
    onError: (e) => notifications.show({ color: 'red', title: 'Not retried', message: describeError(e) }),
  });
  const waiting = escrow.data?.items ?? [];

  return (
    <Card withBorder aria-label="Health">
      <Stack>
        <Group justify="space-between">
          <Text fw={600}>Health</Text>
          {mayManage && <RestartButton config={config} />}
        </Group>
        {waiting.length === 0 ? (
          <Text size="sm" c="dimmed">
            No object is waiting for a retry.
          </Text>
        ) : (
          <>
            <Group justify="space-between">
              <Text size="sm">{waiting.length} object(s) failed and wait for a retry (quarantine of single objects).</Text>
              {mayManage && (
                <Button size="xs" variant="light" onClick={() => retry.mutate()} loading={retry.isPending}>
                  Retry now
                </Button>
              )}
            </Group>
            <Table aria-label="Waiting for a retry">
              <Table.Tbody>
                {waiting.map((w) => (
                  <Table.Tr key={`${w.objectType}-${w.directoryId}`}>
                    <Table.Td>{w.identity ?? w.directoryId}</Table.Td>
                    <Table.Td>
                      <Text size="xs">{w.lastError ? `${w.lastError.message}${w.lastError.advice ? ` — ${w.lastError.advice}` : ''}` : ''}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed">
                        attempt {w.attempts}, next {new Date(w.nextAttemptAt).toLocaleTimeString()}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
        {retried && <RetryReport appId={config.applicationId} run={retried} onClose={() => setRetried(null)} />}
        {(notes.data?.items.length ?? 0) > 0 && (
          <Stack gap={2}>
            <Text size="sm" fw={500}>
              Failure notifications
            </Text>
            {notes.data!.items.map((n) => (
              <Text key={n.id} size="xs">
                {new Date(n.at).toLocaleString()} — {n.subject} ({wordFor(notificationStatusWords, n.status)}
                {n.error ? `: ${n.error}` : ''})
              </Text>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

function RestartButton({ config }: { config: ConfigView }) {
  const queryClient = useQueryClient();
  const target = useTypeName(config.type);
  // A ref: the confirm modal's callbacks are created once, when it opens.
  const links = useRef<'keep' | 'reset'>('keep');
  const restart = useMutation({
    // Restart acts on the configuration as it is now (approvals and holds change its version in the background), so it reads the version at confirmation.
    mutationFn: async (l: 'keep' | 'reset') => {
      const path = { id: config.applicationId };
      const fresh = await unwrap(api.GET('/api/apps/{id}/provisioning', { params: { path } }));
      return unwrap(api.POST('/api/apps/{id}/provisioning/restart', { params: { path }, headers: ifMatch(fresh.version), body: { links: l } }));
    },
    onSuccess: (r) => {
      const { restart: s, ...view } = r;
      queryClient.setQueryData(appKeys.config(config.applicationId), view);
      void queryClient.invalidateQueries({ queryKey: appKeys.status(config.applicationId) });
      notifications.show({ color: 'green', message: `Restarted: ${s.cancelledCycles} cycle(s) cancelled, ${s.clearedEscrow} retry(ies) cleared, ${s.deletedLinks} link(s) reset; an initial cycle ${s.cycleRequested ? 'is queued' : 'runs once provisioning is on'}.` });
    },
    onError: (e) => notifications.show({ color: 'red', title: 'Not restarted', message: describeError(e) }),
  });
  const ask = () => {
    links.current = 'keep';
    modals.openConfirmModal({
      title: 'Restart provisioning?',
      children: (
        <Stack gap="xs">
          <Text size="sm">Cancels the running cycle, clears retries and quarantine, supersedes plans waiting for approval, then runs an initial cycle.</Text>
          <Radio.Group defaultValue="keep" onChange={(v) => (links.current = v as 'keep' | 'reset')} label={`Links to ${target} accounts`}>
            <Stack gap={4} mt={4}>
              <Radio value="keep" label="Keep them (recommended)" />
              <Radio value="reset" label="Reset them: accounts are matched again by the matching attributes" />
            </Stack>
          </Radio.Group>
        </Stack>
      ),
      labels: { confirm: 'Restart', cancel: 'Cancel' },
      onConfirm: () => restart.mutate(links.current),
    });
  };
  return (
    <Button size="xs" variant="default" onClick={ask} loading={restart.isPending}>
      Restart provisioning
    </Button>
  );
}

interface RetryRun {
  /** Events from this moment on answer the retry. */
  since: string;
  items: { directoryId: string; identity: string; attempt: number }[];
}

/**
 * What *Retry now* did: per object, the attempt it was and the provisioning event that answered it
 * (action and result, the error when it failed again), read from the log as the retries land.
 */
function RetryReport({ appId, run, onClose }: { appId: string; run: RetryRun; onClose: () => void }) {
  const started = useRef(Date.now());
  const events = useQuery({
    queryKey: [...appKeys.events(appId), 'retry', run.since],
    queryFn: () => unwrap(api.GET('/api/apps/{id}/provisioning/events', { params: { path: { id: appId }, query: { from: run.since, limit: 200 } } })),
    refetchInterval: (q) => {
      const seen = new Set((q.state.data?.items ?? []).map((e) => e.directoryId));
      return run.items.every((i) => seen.has(i.directoryId)) || Date.now() - started.current > 60_000 ? false : 1000;
    },
  });
  return (
    <Card withBorder padding="sm" data-testid="retry-report">
      <Group justify="space-between" mb={4}>
        <Text size="sm" fw={500}>
          Retry now: {run.items.length} object{run.items.length === 1 ? '' : 's'} retried
        </Text>
        <Button size="compact-xs" variant="subtle" onClick={onClose}>
          Close
        </Button>
      </Group>
      <Stack gap={2}>
        {run.items.map((i) => {
          // The oldest event since the retry is the retry's own answer (the list is newest first).
          const e = [...(events.data?.items ?? [])].reverse().find((x) => x.directoryId === i.directoryId);
          return (
            <Text key={i.directoryId} size="sm" data-testid="retry-item">
              {i.identity} — attempt {i.attempt}:{' '}
              {e ? (
                <>
                  {actionSentence(e.action, e.objectType)}, {wordFor(eventStatusWords, e.status).toLowerCase()}
                  {e.status === 'failed' && e.errorMessage ? ` (${e.errorMessage})` : ''} · event #{e.id}
                </>
              ) : (
                'running…'
              )}
            </Text>
          );
        })}
      </Stack>
    </Card>
  );
}
