/**
 * A full cycle's read of the target's groups: every group, and the memberships of the groups the
 * plan can touch (linked ones, and those named like a desired group, which the plan may link).
 */
import type { ConnectorError, GroupClient } from '../../connectors/contract.ts';
import type { Result } from '../../errors/result.ts';
import { callWithRetry } from '../apply/call-with-retry.ts';
import { runPool } from '../apply/run-pool.ts';
import type { GroupSnapshot, TargetMembership } from './group-plan-types.ts';

export async function readTargetGroups(
  client: GroupClient,
  interest: { linkedTargetIds: readonly string[]; desiredNames: readonly string[] },
  sleep: (ms: number) => Promise<void>,
): Promise<Result<GroupSnapshot, ConnectorError>> {
  const snapshot: GroupSnapshot = { groups: [], members: {} };
  for await (const page of client.list()) {
    if (!page.ok) return page;
    snapshot.groups.push(...page.value);
  }
  const linked = new Set(interest.linkedTargetIds);
  const names = new Set(interest.desiredNames);
  const wanted = snapshot.groups.filter((g) => linked.has(g.id) || names.has(g.name));
  let failure: ConnectorError | null = null;
  await runPool(wanted, 4, async (g) => {
    if (failure) return;
    const r = await callWithRetry(() => readMembers(client, g.id), { sleep });
    if (r.ok) snapshot.members[g.id] = r.value;
    else failure = r.error;
  });
  return failure ? { ok: false, error: failure } : { ok: true, value: snapshot };
}

async function readMembers(client: GroupClient, groupId: string): Promise<Result<TargetMembership[], ConnectorError>> {
  const out: TargetMembership[] = [];
  for await (const page of client.listMembers(groupId)) {
    if (!page.ok) return page;
    out.push(...page.value);
  }
  return { ok: true, value: out };
}
