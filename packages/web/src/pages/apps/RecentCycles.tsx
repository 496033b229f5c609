/** The last cycles and change-driven batches of an application, with their result, counts and duration (Overview). */
import { Card, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { countsSentence, durationWords } from '../../lib/apps/provisioning-view.ts';
import { cycleKindWords, cycleStatusWords, wordFor } from '../../lib/words.ts';
import { appKeys } from './app-api.ts';

export function RecentCycles({ appId, limit = 8 }: { appId: string; limit?: number }) {
  const cycles = useQuery({
    queryKey: [...appKeys.status(appId), 'cycles', limit],
    queryFn: () => unwrap(api.GET('/api/apps/{id}/provisioning/cycles', { params: { path: { id: appId }, query: { limit } } })),
    refetchInterval: 5000,
  });
  return (
    <Card withBorder aria-label="Last cycles">
      <Stack gap="xs">
        <Text fw={600}>Last cycles</Text>
        {cycles.isLoading && <LoadingState />}
        {cycles.error && <ErrorState error={cycles.error} onRetry={() => void cycles.refetch()} />}
        {cycles.data && cycles.data.items.length === 0 && (
          <Text size="sm" c="dimmed">
            No cycle has run yet.
          </Text>
        )}
        {cycles.data && cycles.data.items.length > 0 && (
          <Table aria-label="Last cycles" fz="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Started</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Result</Table.Th>
                <Table.Th>What it did</Table.Th>
                <Table.Th>Duration</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {cycles.data.items.map((c) => (
                <Table.Tr key={c.id} data-testid="cycle-row">
                  <Table.Td data-volatile>{new Date(c.startedAt).toLocaleString()}</Table.Td>
                  <Table.Td>{wordFor(cycleKindWords, c.kind)}</Table.Td>
                  <Table.Td>{wordFor(cycleStatusWords, c.status)}</Table.Td>
                  <Table.Td>{countsSentence(c.counts)}</Table.Td>
                  <Table.Td data-volatile>{c.durationMs === null ? `running, ${c.progress.done} of ${c.progress.total || '?'}` : durationWords(c.durationMs)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
