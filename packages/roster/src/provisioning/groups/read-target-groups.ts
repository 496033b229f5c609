/**
 * A full cycle's read of the target's groups: every group, and the memberships of the groups the
 * plan can touch (linked ones, and those named like a desired group, which the plan may link).
 */
import type { ConnectorError, GroupClient, TargetGroup } from '../../connectors/contract.ts';
import type { Result } from '../../errors/result.ts';
import { callWithRetry } from '../apply/call-with-retry.ts';
import { runPool } from '../apply/run-pool.ts';
import type { GroupSnapshot, TargetMembership } from './group-plan-types.ts';

export async function readTargetGroups(
  client: GroupClient,
  interest: { linkedTargetIds: readonly string[]; desiredNames: readonly string[] },
  sleep: (ms: number) => Promise<void>,
  /** The list already started (listTargetGroups), e.g. while the users were read. */
  listed: Promise<Result<TargetGroup[], ConnectorError>> = listTargetGroups(client),
): Promise<Result<GroupSnapshot, ConnectorError>> {
  const all = await listed;
  if (!all.ok) return all;
  const snapshot: GroupSnapshot = { groups: [...all.value], members: {} };
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

/** Every group of the target (without members). */
export async function listTargetGroups(client: GroupClient): Promise<Result<TargetGroup[], ConnectorError>> {
  const out: TargetGroup[] = [];
  for await (const page of client.list()) {
    if (!page.ok) return page;
    out.push(...page.value);
  }
  return { ok: true, value: out };
}

async function readMembers(client: GroupClient, groupId: string): Promise<Result<TargetMembership[], ConnectorError>> {
  const out: TargetMembership[] = [];
  for await (const page of client.listMembers(groupId)) {
    if (!page.ok) return page;
    out.push(...page.value);
  }
  return { ok: true, value: out };
}
