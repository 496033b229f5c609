/**
 * Import from the target (guide A steps 13–17): start an import (a job reads and classifies every
 * user of the account, with progress), filter New users / Update users (with the source profile) / Users to
 * activate / Users to deactivate / Conflicts, select, Confirm assignment (If-Match on the session),
 * watch it apply, Done.
 */
import { Alert, Badge, Button, Checkbox, Group, Progress, SegmentedControl, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, ifMatch, unwrap } from '../../api/client.ts';
import { ApiError, describeError } from '../../api/errors.ts';
import type { Answer } from '../../api/types.ts';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { type ImportFilter, importBusy, importFilters, progressPercent, showValue } from '../../lib/apps/provisioning-view.ts';
import { type AppView, appKeys, useRoleOptions } from './app-api.ts';
import { importItemStatusWords, importStatusWords, roleName, wordFor } from '../../lib/words.ts';

/** Status badges show their whole word (Mantine's badge clips long labels with an ellipsis). */
const untruncated = { root: { overflow: 'visible', maxWidth: 'none', flexShrink: 0 }, label: { overflow: 'visible', textOverflow: 'clip' } } as const;

type Session = Answer<'/api/apps/{id}/provisioning/import-sessions/{sessionId}', 'get'>;

export function ImportTab({ app }: { app: AppView }) {
  const queryClient = useQueryClient();
  const path = { id: app.id };
  const sessions = useQuery({
    queryKey: appKeys.imports(app.id),
    queryFn: () => unwrap(api.GET('/api/apps/{id}/provisioning/import-sessions', { params: { path, query: { limit: 1 } } })),
    refetchInterval: (q) => (q.state.data?.items[0] && importBusy(q.state.data.items[0].status) ? 1000 : false),
  });
  const start = useMutation({
    mutationFn: () => unwrap(api.POST('/api/apps/{id}/provisioning/import-sessions', { params: { path } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: appKeys.imports(app.id) }),
  });
  const session = sessions.data?.items[0];

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Bring the users who already exist in {app.typeName} into the directory, assigned to this application. Advised at first setup.
        </Text>
        <Button onClick={() => start.mutate()} loading={start.isPending} disabled={!!session && importBusy(session.status)}>
          {session ? 'Start a new import' : 'Start import'}
        </Button>
      </Group>
      {start.error && <ErrorState error={start.error} />}
      {sessions.isLoading && <LoadingState />}
      {sessions.error && <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} />}
      {sessions.data && !session && <EmptyState title="No import yet">Start an import to list the {app.typeName} users that can be imported.</EmptyState>}
      {session && <SessionView key={session.id} app={app} session={session} />}
    </Stack>
  );
}

function SessionView({ app, session: s }: { app: AppView; session: Session }) {
  // The account's roles (custom ones included) name each user's role in the target.
  const roles = useRoleOptions(app.id, app, true);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<ImportFilter>('new');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [sourceProfile, setSourceProfile] = useState<'target' | 'directory'>('target');
  const path = { id: app.id, sessionId: s.id };
  const items = useQuery({
    queryKey: [...appKeys.imports(app.id), s.id, filter, debounced, s.status, s.version],
    queryFn: () => unwrap(api.GET('/api/apps/{id}/provisioning/import-sessions/{sessionId}/items', { params: { path, query: { category: filter, limit: 200, ...(debounced.trim() ? { search: debounced.trim() } : {}) } } })),
    enabled: s.status !== 'reading',
  });
  const confirm = useMutation({
    mutationFn: () => unwrap(api.POST('/api/apps/{id}/provisioning/import-sessions/{sessionId}/confirm', { params: { path }, headers: ifMatch(s.version), body: { targetIds: [...selected], sourceProfile } })),
    onSuccess: (r) => {
      notifications.show({ color: 'green', message: `${r.selected} user${r.selected === 1 ? '' : 's'} confirmed: the import is applying them.` });
      setSelected(new Set());
      void queryClient.invalidateQueries({ queryKey: appKeys.imports(app.id) });
    },
  });
  const cancel = useMutation({
    mutationFn: () => unwrap(api.POST('/api/apps/{id}/provisioning/import-sessions/{sessionId}/cancel', { params: { path }, headers: ifMatch(s.version) })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: appKeys.imports(app.id) }),
  });
  const rows = items.data?.items ?? [];
  const selectable = filter !== 'conflict';
  const open = rows.filter((r) => r.applyStatus === null);
  const allChosen = open.length > 0 && open.every((r) => selected.has(r.targetId));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const help = importFilters.find((f) => f.value === filter)?.help(app.typeName);
  const stale = confirm.error instanceof ApiError && confirm.error.code === 'version_conflict';

  return (
    <Stack>
      <Group gap="xs">
        <Badge data-testid="import-status" styles={untruncated} color={s.status === 'failed' ? 'red' : s.status === 'applied' ? 'green' : 'blue'}>
          {wordFor(importStatusWords, s.status)}
        </Badge>
        <Text size="sm" c="dimmed">
          Started {new Date(s.createdAt).toLocaleString()}
        </Text>
      </Group>
      {importBusy(s.status) && (
        <Stack gap={4}>
          <Text size="sm">
            {s.progress.phase === 'reading' ? `Reading ${app.typeName} users` : 'Applying the confirmed users'}: {s.progress.done}
            {s.progress.total !== null ? ` of ${s.progress.total}` : ''}
          </Text>
          <Progress value={s.progress.total ? progressPercent({ done: s.progress.done, total: s.progress.total }) : 100} animated striped aria-label="Import progress" />
          <Button size="xs" variant="default" w="fit-content" onClick={() => cancel.mutate()} loading={cancel.isPending}>
            Cancel import
          </Button>
        </Stack>
      )}
      {s.error && (
        <Alert color="red" title="Import failed">
          {s.error.message} {s.error.advice}
        </Alert>
      )}
      {s.notImported.length > 0 && (
        <Alert color="gray" title="Not imported">
          {s.notImported.map((n) => `${n.target}: ${n.reason}`).join(' · ')}
        </Alert>
      )}
      {s.status !== 'reading' && (
        <>
          <SegmentedControl
            value={filter}
            onChange={(v) => setFilter(v as ImportFilter)}
            data={importFilters.map((f) => ({ value: f.value, label: `${f.label} (${s.counts[f.value] ?? 0})` }))}
            aria-label="Import filter"
          />
          <Text size="sm" c="dimmed">
            {help}
          </Text>
          <Group align="flex-end">
            <TextInput label="Search" placeholder="Email or name" value={search} onChange={(e) => setSearch(e.currentTarget.value)} size="xs" />
            {filter === 'update' && (
              <Select
                label="Source profile"
                description="Whose values win for users in both"
                data={[
                  { value: 'target', label: `${app.typeName} profile overwrites the directory` },
                  { value: 'directory', label: 'Keep the directory profile' },
                ]}
                value={sourceProfile}
                onChange={(v) => v && setSourceProfile(v as 'target' | 'directory')}
                allowDeselect={false}
                size="xs"
                w={320}
              />
            )}
          </Group>
          {items.isLoading && <LoadingState />}
          {items.error && <ErrorState error={items.error} onRetry={() => void items.refetch()} />}
          {items.data && rows.length === 0 && <EmptyState title="Nobody in this filter" />}
          {rows.length > 0 && (
            <Table striped aria-label="Users to import">
              <Table.Thead>
                <Table.Tr>
                  {selectable && (
                    <Table.Th w={40}>
                      <Checkbox aria-label="Select all" checked={allChosen} onChange={(e) => setSelected(new Set(e.currentTarget.checked ? [...selected, ...open.map((r) => r.targetId)] : [...selected].filter((id) => !open.some((r) => r.targetId === id))))} />
                    </Table.Th>
                  )}
                  <Table.Th>User</Table.Th>
                  <Table.Th>{app.typeName} role</Table.Th>
                  <Table.Th>{filter === 'conflict' ? 'Reason' : 'Differences'}</Table.Th>
                  <Table.Th>Import</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.targetId}>
                    {selectable && (
                      <Table.Td>
                        <Checkbox aria-label={`Select ${r.identity}`} checked={selected.has(r.targetId)} disabled={r.applyStatus !== null} onChange={(e) => toggle(r.targetId, e.currentTarget.checked)} />
                      </Table.Td>
                    )}
                    <Table.Td>{r.identity}</Table.Td>
                    <Table.Td data-testid="import-role">{typeof r.target['roleKey'] === 'string' ? roleName(r.target['roleKey'], roles.options) : showValue(r.target['roleKey'])}</Table.Td>
                    <Table.Td>
                      <Text size="xs">{filter === 'conflict' ? r.reason : r.differences.map((d) => `${d.field}: ${showValue(d.directory)} → ${showValue(d.target)}`).join('; ')}</Text>
                    </Table.Td>
                    <Table.Td>{r.applyStatus && <Badge color={r.applyStatus === 'applied' ? 'green' : r.applyStatus === 'failed' ? 'red' : 'blue'} styles={untruncated} data-testid="import-row-status">{wordFor(importItemStatusWords, r.applyStatus)}</Badge>}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {stale && (
            <Alert color="orange" title="The import changed meanwhile" role="alert">
              Someone else confirmed or cancelled this import; the list is reloaded — check the selection and confirm again.
            </Alert>
          )}
          {confirm.error && !stale && (
            <Text c="red" size="sm" role="alert">
              {describeError(confirm.error)}
            </Text>
          )}
          <Group>
            <Button onClick={() => confirm.mutate()} disabled={selected.size === 0 || s.status === 'cancelled'} loading={confirm.isPending}>
              Confirm assignment{selected.size ? ` (${selected.size})` : ''}
            </Button>
            {s.status === 'applied' && (
              <Button variant="light" color="green" onClick={() => navigate(`/apps/${app.id}/users`)}>
                Done
              </Button>
            )}
          </Group>
        </>
      )}
    </Stack>
  );
}
