/**
 * The home page: a small dashboard of the applications — each one's state, its failures in the last
 * 24 hours and the staged deletions (or plans) waiting for an admin, with the totals on top. Each
 * Before any application exists, it opens Users instead. Each
 * figure comes from the application's own synchronization details and activity (the same API the
 * Overview uses), so the dashboard and the application page never disagree.
 */
import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Link, Navigate } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { stateLook } from '../../lib/apps/provisioning-view.ts';
import { planCountsSentence, planKindWords, wordFor } from '../../lib/words.ts';
import { appKeys } from '../apps/app-api.ts';

const DAY_MS = 24 * 3_600_000;

export function HomePage() {
  const apps = useQuery({ queryKey: appKeys.all, queryFn: () => unwrap(api.GET('/api/apps', { params: { query: { limit: 50 } } })) });
  const items = apps.data?.items ?? [];
  const statuses = useQueries({
    queries: items.map((a) => ({ queryKey: appKeys.status(a.id), queryFn: () => unwrap(api.GET('/api/apps/{id}/provisioning/status', { params: { path: { id: a.id } } })), refetchInterval: 15_000 })),
  });
  const failures = useQueries({
    queries: items.map((a) => ({
      queryKey: [...appKeys.app(a.id), 'failures-24h'],
      queryFn: () => {
        const to = new Date();
        return unwrap(api.GET('/api/apps/{id}/provisioning/activity', { params: { path: { id: a.id }, query: { from: new Date(to.getTime() - DAY_MS).toISOString(), to: to.toISOString(), bucket: 'hour' } } }));
      },
      refetchInterval: 60_000,
    })),
  });
  const failed24h = failures.reduce((n, q) => n + (q.data?.totals.failed ?? 0), 0);
  // Removals, counted as the staged plans count them (what each application's plan and pause reason say), not applications.
  const stagedPlans = statuses.flatMap((q) => (q.data?.pendingPlan?.kind === 'staged_deletions' ? [q.data.pendingPlan] : []));
  const staged = stagedPlans.reduce((n, p) => n + Object.values(p.counts).reduce((a, b) => a + b, 0), 0);
  const awaiting = statuses.filter((q) => q.data?.pendingPlan && q.data.pendingPlan.kind !== 'staged_deletions').length;
  const on = statuses.filter((q) => q.data?.enabled).length;

  return (
    <>
      <PageHeader title="Home" description="How provisioning is doing across your applications." />
      {apps.isLoading && <LoadingState />}
      {apps.error && <ErrorState error={apps.error} onRetry={() => void apps.refetch()} />}
      {/* Before any application exists there is nothing to show: the directory comes first. */}
      {apps.data && items.length === 0 && <Navigate to="/users" replace />}
      {items.length > 0 && (
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 3 }} aria-label="At a glance">
            <Figure label="Applications provisioning" value={`${on} of ${items.length}`} testId="figure-on" />
            <Figure label="Failures in the last 24 h" value={String(failed24h)} color={failed24h > 0 ? 'red' : undefined} testId="figure-failures" />
            <Figure label="Staged deletions waiting" value={String(staged)} color={staged > 0 ? 'orange' : undefined} testId="figure-staged" hint={waitingHint(stagedPlans.length, awaiting)} />
          </SimpleGrid>
          <Table striped aria-label="Applications at a glance">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Application</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Failures (24 h)</Table.Th>
                <Table.Th>Waiting for an admin</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((a, i) => {
                const s = statuses[i]?.data;
                const f = failures[i]?.data;
                const look = s ? stateLook(s.state, s.enabled) : null;
                return (
                  <Table.Tr key={a.id} data-testid={`home-app-${a.id}`}>
                    <Table.Td>
                      <Anchor component={Link} to={`/apps/${a.id}`}>
                        {a.displayName}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{look ? <Badge color={look.color}>{look.label}</Badge> : statuses[i]?.error ? '—' : '…'}</Table.Td>
                    <Table.Td data-testid="failures-24h">
                      {f ? (
                        f.totals.failed > 0 ? (
                          <Anchor component={Link} to={`/apps/${a.id}/logs`} c="red">
                            {f.totals.failed}
                          </Anchor>
                        ) : (
                          '0'
                        )
                      ) : (
                        '…'
                      )}
                    </Table.Td>
                    <Table.Td data-testid="waiting">
                      {s?.pendingPlan ? (
                        <Anchor component={Link} to={`/apps/${a.id}/overview`}>
                          {wordFor(planKindWords, s.pendingPlan.kind)}: {planCountsSentence(s.pendingPlan.counts)}
                        </Anchor>
                      ) : s ? (
                        'nothing'
                      ) : (
                        '…'
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </>
  );
}

/** "in 2 applications, and 1 plan waiting for approval" */
function waitingHint(stagedApps: number, awaiting: number): string | undefined {
  const parts = [...(stagedApps > 0 ? [`in ${stagedApps} application${stagedApps === 1 ? '' : 's'}`] : []), ...(awaiting > 0 ? [`${awaiting} plan${awaiting === 1 ? '' : 's'} waiting for approval`] : [])];
  return parts.length ? parts.join(', and ') : undefined;
}

function Figure({ label, value, color, testId, hint }: { label: string; value: string; color?: string | undefined; testId: string; hint?: string | undefined }) {
  return (
    <Card withBorder>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Group gap={6} align="baseline">
        <Text size="xl" fw={700} c={color ?? 'inherit'} data-testid={testId}>
          {value}
        </Text>
        {hint && (
          <Text size="xs" c="dimmed">
            {hint}
          </Text>
        )}
      </Group>
    </Card>
  );
}
