/**
 * Provision on demand: one user (or one group's users) now, with each step — connection, read,
 * scope with each clause, match, action with the properties sent, result — the way it happened.
 */
import { Alert, Badge, Button, Card, Group, Select, Stack, Text, Timeline } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';
import { type ClauseOutcome, scopeSentence } from '../../lib/words.ts';

interface Step {
  name: string;
  outcome: string;
  detail: string;
  data: { filters?: { name: string; passed: boolean; clauses: ClauseOutcome[] }[]; assigned?: boolean; scope?: string };
}

/** The scope step names the clause that kept the user out ("Out of scope: clause department equals Sales was false"). */
const stepDetail = (s: Step): string => (s.name === 'scope' && (s.data.assigned === true || s.data.scope === 'all') && s.data.filters?.length ? scopeSentence(s.data.filters) : s.detail);

export function OnDemandSection({ appId }: { appId: string }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [userId, setUserId] = useState<string | null>(null);
  const users = useQuery({ queryKey: ['on-demand-users', debounced], queryFn: () => unwrap(api.GET('/api/users', { params: { query: { limit: 20, ...(debounced.trim() ? { q: debounced.trim() } : {}) } } })) });
  const run = useMutation({ mutationFn: (id: string) => unwrap(api.POST('/api/apps/{id}/provisioning/on-demand', { params: { path: { id: appId } }, body: { userId: id } })) });

  return (
    <Card withBorder aria-label="Provision on demand">
      <Stack>
        <Text fw={600}>Provision on demand</Text>
        <Text size="sm" c="dimmed">
          Provision one user now and see every step — useful to test the mapping and scoping filters on a real account.
        </Text>
        <Group align="flex-end">
          <Select
            label="User to provision"
            searchable
            searchValue={search}
            onSearchChange={setSearch}
            filter={({ options }) => options}
            data={users.data?.items.map((u) => ({ value: u.id, label: `${u.displayName} <${u.email}>` })) ?? []}
            value={userId}
            onChange={setUserId}
            w={360}
          />
          <Button onClick={() => userId && run.mutate(userId)} disabled={!userId} loading={run.isPending}>
            Provision
          </Button>
        </Group>
        {run.error && (
          <Text c="red" size="sm" role="alert">
            {describeError(run.error)}
          </Text>
        )}
        {run.data && (
          <Alert color={run.data.result === 'failed' ? 'red' : 'green'} title={<Badge data-testid="on-demand-result">{run.data.result}</Badge>}>
            <Timeline bulletSize={14} lineWidth={2} active={run.data.steps.length}>
              {(run.data.steps as Step[]).map((s, i) => (
                <Timeline.Item key={i} title={`${s.name} — ${s.outcome}`}>
                  <Text size="sm" c="dimmed">
                    {stepDetail(s)}
                  </Text>
                </Timeline.Item>
              ))}
            </Timeline>
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
