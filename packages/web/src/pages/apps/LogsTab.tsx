/**
 * Provisioning logs (guide B step 13): synchronization details on top, then every provisioning
 * event newest first, filtered by user, action, status and time; a row opens the event's steps and
 * each changed property old → new; the filtered log exports as CSV or JSON.
 */
import { Anchor, Badge, Button, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { type LogFilters, emptyLogFilters, logQuery } from '../../lib/apps/provisioning-view.ts';
import { actionSentence, eventStatusWords, wordFor } from '../../lib/words.ts';
import { type AppView, type ProvisioningEvent, appKeys, useRoleOptions } from './app-api.ts';
import { EventDetailModal } from './EventDetailModal.tsx';
import { SyncDetails } from './SyncDetails.tsx';

const actions = ['create', 'link', 'update', 'suspend', 'unsuspend', 'delete', 'skip', 'import', 'add_member', 'link_member', 'remove_member', 'unlink', 'report'].map((a) => ({ value: a, label: actionSentence(a, 'any') }));
const statuses = Object.entries(eventStatusWords).map(([value, label]) => ({ value, label }));
const statusColor: Record<string, string> = { success: 'green', failed: 'red', skipped: 'gray' };

export function LogsTab({ app }: { app: AppView }) {
  const [filters, setFilters] = useState<LogFilters>(emptyLogFilters);
  const [open, setOpen] = useState<ProvisioningEvent | null>(null);
  // The account's roles (the built-in ones until it is connected), so a changed role reads by name.
  const roles = useRoleOptions(app.id, app, true).options;
  const query = logQuery(filters);
  const events = useInfiniteQuery({
    queryKey: [...appKeys.events(app.id), query],
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/apps/{id}/provisioning/events', { params: { path: { id: app.id }, query: { ...query, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 5000,
  });
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];
  const exportUrl = (format: 'csv' | 'json') => `/api/apps/${app.id}/provisioning/events/export?${new URLSearchParams({ format, ...query }).toString()}`;
  const set = (patch: Partial<LogFilters>) => setFilters({ ...filters, ...patch });

  return (
    <Stack>
      <SyncDetails appId={app.id} />
      <Group align="flex-end" gap="xs">
        <TextInput label="User" placeholder="Email, name or id" value={filters.user} onChange={(e) => set({ user: e.currentTarget.value })} size="xs" />
        <Select label="Action" data={actions} value={filters.action} onChange={(v) => set({ action: v })} clearable size="xs" w={230} />
        <Select label="Status" data={statuses} value={filters.status} onChange={(v) => set({ status: v })} clearable size="xs" w={130} />
        <TextInput type="datetime-local" label="From" value={filters.from} onChange={(e) => set({ from: e.currentTarget.value })} size="xs" />
        <TextInput type="datetime-local" label="To" value={filters.to} onChange={(e) => set({ to: e.currentTarget.value })} size="xs" />
        <Button size="xs" variant="default" onClick={() => setFilters(emptyLogFilters)}>
          Clear
        </Button>
        <Anchor href={exportUrl('csv')} size="sm" download>
          Export CSV
        </Anchor>
        <Anchor href={exportUrl('json')} size="sm" download>
          Export JSON
        </Anchor>
      </Group>
      {events.isLoading && <LoadingState />}
      {events.error && <ErrorState error={events.error} onRetry={() => void events.refetch()} />}
      {events.data && rows.length === 0 && <EmptyState title="No provisioning events">Nothing matches these filters yet.</EmptyState>}
      {rows.length > 0 && (
        <Table striped highlightOnHover aria-label="Provisioning events">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>Identity</Table.Th>
              <Table.Th>Object</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Details</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((e) => (
              <Table.Tr key={e.id} onClick={() => setOpen(e)} style={{ cursor: 'pointer' }} data-testid="event-row">
                <Table.Td>
                  <Text size="xs">{new Date(e.at).toLocaleString()}</Text>
                </Table.Td>
                <Table.Td>
                  <Anchor component="button" size="sm" onClick={() => setOpen(e)}>
                    {e.identity ?? e.directoryId ?? e.targetId ?? '—'}
                  </Anchor>
                </Table.Td>
                <Table.Td>{e.objectType}</Table.Td>
                <Table.Td>{actionSentence(e.action, e.objectType)}</Table.Td>
                <Table.Td>
                  <Badge color={statusColor[e.status] ?? 'gray'} variant="light">
                    {wordFor(eventStatusWords, e.status)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" lineClamp={1}>
                    {e.errorMessage ?? (e.changes.length ? e.changes.map((c) => c.property).join(', ') : '')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {events.hasNextPage && (
        <Button variant="default" onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage} w="fit-content">
          Load more
        </Button>
      )}
      {open && <EventDetailModal event={open} roles={roles} onClose={() => setOpen(null)} />}
    </Stack>
  );
}
