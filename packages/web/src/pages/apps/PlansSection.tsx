/**
 * Dry run and approval: compute a full cycle's plan without applying it, read it action by action
 * (old → new), and approve or discard plans that wait for an admin — dry runs, plans held for
 * approval, and deletions staged by the deletion threshold (the Overview's "staged deletions").
 */
import { Alert, Badge, Button, Card, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ifMatch, unwrap } from '../../api/client.ts';
import { ApiError, describeError } from '../../api/errors.ts';
import type { Answer } from '../../api/types.ts';
import { showChange } from '../../lib/apps/provisioning-view.ts';
import { actionSentence, planCountsSentence, planKindWords, planStatusWords, wordFor } from '../../lib/words.ts';
import { appKeys, useRoleOptions } from './app-api.ts';

type Plan = Answer<'/api/apps/{id}/provisioning/plans/{planId}', 'get'>;
const open = (p: Plan) => p.status === 'computing' || p.status === 'ready' || p.status === 'pending';

export function PlansSection({ appId, mayManage, pendingOnly = false }: { appId: string; mayManage: boolean; pendingOnly?: boolean }) {
  const queryClient = useQueryClient();
  const [shown, setShown] = useState<Plan | null>(null);
  const plans = useQuery({
    queryKey: [...appKeys.config(appId), 'plans'],
    queryFn: () => unwrap(api.GET('/api/apps/{id}/provisioning/plans', { params: { path: { id: appId }, query: { limit: 10 } } })),
    refetchInterval: (q) => (q.state.data?.items.some((p) => p.status === 'computing') ? 1000 : 10_000),
  });
  const dryRun = useMutation({
    mutationFn: () => unwrap(api.POST('/api/apps/{id}/provisioning/dry-runs', { params: { path: { id: appId } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [...appKeys.config(appId), 'plans'] }),
    onError: (e) => notifications.show({ color: 'red', title: 'No dry run', message: describeError(e) }),
  });
  const items = (plans.data?.items ?? []).filter((p) => !pendingOnly || p.status === 'pending');
  if (pendingOnly && items.length === 0) return null;

  return (
    <Card withBorder aria-label={pendingOnly ? 'Waiting for an admin' : 'Dry run and approval'}>
      <Stack>
        <Group justify="space-between">
          <Text fw={600}>{pendingOnly ? 'Waiting for an admin' : 'Dry run and approval'}</Text>
          {mayManage && !pendingOnly && (
            <Button size="xs" variant="light" onClick={() => dryRun.mutate()} loading={dryRun.isPending}>
              Dry run
            </Button>
          )}
        </Group>
        {!pendingOnly && (
          <Text size="sm" c="dimmed">
            A dry run computes what a full cycle would do — creates, updates, suspensions, deletions — without changing the target.
          </Text>
        )}
        {plans.error && <Text c="red" size="sm">{describeError(plans.error)}</Text>}
        {items.length > 0 && (
          <Table aria-label="Plans">
            <Table.Tbody>
              {items.map((p) => (
                <Table.Tr key={p.id} data-testid="plan-row">
                  <Table.Td>{wordFor(planKindWords, p.kind)}</Table.Td>
                  <Table.Td>
                    <Badge color={p.status === 'pending' ? 'orange' : p.status === 'failed' ? 'red' : 'gray'} variant="light">
                      {wordFor(planStatusWords, p.status)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{p.status === 'computing' ? 'computing…' : planCountsSentence(p.counts)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {new Date(p.createdAt).toLocaleString()}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="subtle" onClick={() => setShown(p)} disabled={p.status === 'computing'}>
                      {open(p) && p.status !== 'computing' ? 'Review' : 'Open'}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      {shown && <PlanModal appId={appId} plan={shown} mayManage={mayManage} onClose={() => setShown(null)} />}
    </Card>
  );
}

function PlanModal({ appId, plan, mayManage, onClose }: { appId: string; plan: Plan; mayManage: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const path = { id: appId, planId: plan.id };
  // The account's roles, so a changed role reads by name; built-in names come from the words map meanwhile.
  const roles = useRoleOptions(appId, undefined, true).options;
  const actions = useQuery({ queryKey: ['plan-actions', plan.id], queryFn: () => unwrap(api.GET('/api/apps/{id}/provisioning/plans/{planId}/actions', { params: { path, query: { limit: 200 } } })) });
  const decide = useMutation({
    mutationFn: (verb: 'approve' | 'discard') =>
      verb === 'approve'
        ? unwrap(api.POST('/api/apps/{id}/provisioning/plans/{planId}/approve', { params: { path }, headers: ifMatch(plan.version) }))
        : unwrap(api.POST('/api/apps/{id}/provisioning/plans/{planId}/discard', { params: { path }, headers: ifMatch(plan.version) })),
    onSuccess: (_p, verb) => {
      notifications.show({ color: 'green', message: verb === 'approve' ? 'Approved: the plan is being applied.' : 'Discarded.' });
      // Deciding a plan resumes provisioning: the configuration (state, version) changed too.
      void queryClient.invalidateQueries({ queryKey: appKeys.config(appId) });
      void queryClient.invalidateQueries({ queryKey: appKeys.status(appId) });
      onClose();
    },
  });
  const reason = plan.reason as { code?: string; message?: string } | null;
  const stale = decide.error instanceof ApiError && decide.error.code === 'version_conflict';
  return (
    <Modal opened onClose={onClose} title={`${wordFor(planKindWords, plan.kind)}: ${planCountsSentence(plan.counts)}`} size="xl">
      <Stack>
        {reason?.message && <Alert color="orange">{reason.message}</Alert>}
        <Table aria-label="Plan actions" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Action</Table.Th>
              <Table.Th>Who</Table.Th>
              <Table.Th>Changes (old → new)</Table.Th>
              <Table.Th>Why</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {actions.data?.items.map((a) => (
              <Table.Tr key={a.seq}>
                <Table.Td>{actionSentence(a.action, a.objectType)}</Table.Td>
                <Table.Td>{a.identity ?? a.directoryId ?? a.targetId}</Table.Td>
                <Table.Td>
                  <Text size="xs">{a.changes.map((c) => `${c.property}: ${showChange(c.property, c.old, roles)} → ${showChange(c.property, c.new, roles)}`).join('; ')}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{a.reason}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {actions.data?.nextCursor && <Text size="xs" c="dimmed">The first 200 actions are shown; export the plan for all of them.</Text>}
        <Group>
          <Button component="a" href={`/api/apps/${appId}/provisioning/plans/${plan.id}/export?format=csv`} variant="default" size="xs">
            Export CSV
          </Button>
          {mayManage && plan.status === 'pending' && (
            <>
              <Button color="green" onClick={() => decide.mutate('approve')} loading={decide.isPending}>
                Approve
              </Button>
              <Button color="red" variant="light" onClick={() => decide.mutate('discard')} loading={decide.isPending}>
                Discard
              </Button>
            </>
          )}
        </Group>
        {decide.error && (
          <Text c="red" size="sm" role="alert">
            {stale ? 'This plan changed since it was opened (decided by someone else, or superseded): close and reopen it.' : describeError(decide.error)}
          </Text>
        )}
      </Stack>
    </Modal>
  );
}
