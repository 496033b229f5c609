/**
 * Synchronization details (guide B step 13): the state, the running cycle with a progress bar, the
 * last finished cycle's counts and duration, and when the next cycle runs. Polls while shown.
 */
import { Alert, Badge, Card, Group, Progress, Stack, Text } from '@mantine/core';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { countsSentence, durationWords, etaSeconds, progressPercent, stateLook } from '../../lib/apps/provisioning-view.ts';
import { cycleKindWords, cycleStatusWords, wordFor } from '../../lib/words.ts';
import { useSyncStatus } from './app-api.ts';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

export function SyncDetails({ appId }: { appId: string }) {
  const status = useSyncStatus(appId);
  if (status.isLoading) return <LoadingState label="Loading the synchronization details" />;
  if (status.error || !status.data) return <ErrorState error={status.error} onRetry={() => void status.refetch()} />;
  const s = status.data;
  const look = stateLook(s.state, s.enabled);
  const reason = s.stateReason as { message?: string; advice?: string } | null;
  return (
    <Card withBorder aria-label="Synchronization details">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>Synchronization details</Text>
          <Badge color={look.color} data-testid="provisioning-state">
            {look.label}
          </Badge>
        </Group>
        {reason?.message && (
          <Alert color={look.color} title="Why" data-testid="state-reason">
            {reason.message}
            {reason.advice && <Text size="sm">{reason.advice}</Text>}
          </Alert>
        )}
        {s.running ? (
          <Stack gap={4} data-testid="running-cycle">
            <Text size="sm">
              Running: {wordFor(cycleKindWords, s.running.kind)} cycle, {s.running.progress.done} of {s.running.progress.total || '?'} objects done
              {(() => {
                const eta = etaSeconds(s.running.progress, s.running.startedAt);
                return eta === null ? ', estimating the time left…' : `, about ${durationWords(eta * 1000)} left`;
              })()}
            </Text>
            <Progress value={progressPercent(s.running.progress)} aria-label="Progress of the running cycle" animated />
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            No cycle is running.
          </Text>
        )}
        <Text size="sm" data-testid="last-cycle">
          Last cycle:{' '}
          {s.lastCompleted
            ? `${wordFor(cycleKindWords, s.lastCompleted.kind)}, ${wordFor(cycleStatusWords, s.lastCompleted.status).toLowerCase()}, ${countsSentence(s.lastCompleted.counts)}, finished ${when(s.lastCompleted.finishedAt)}${s.lastCompleted.durationMs !== null ? ` in ${durationWords(s.lastCompleted.durationMs)}` : ''}`
            : 'none yet'}
        </Text>
        <Text size="sm" c="dimmed">
          Next cycle: {s.enabled ? when(s.nextCycleAt) : 'provisioning is off'}
        </Text>
      </Stack>
    </Card>
  );
}
