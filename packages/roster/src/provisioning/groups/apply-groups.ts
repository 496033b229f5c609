/**
 * Applies a group plan through `connection.groups`, with the user plan of the same run: groups
 * first (create, link, rename; while the users are written), then, once the users are, memberships added, then memberships removed (so an agent who
 * moves between groups never passes through "no group"), then groups deleted. A target whose group
 * client offers batch calls (`capabilities.groupBatchMaxItems` > 1: `createMany`, `addMembers`,
 * `removeMembers`) gets the creates and the membership changes in batches of that size (sorted by
 * group, so a group's members travel together); the recheck of member accounts before membership
 * writes is the same either way. Calls are retried by error class (apply/call-with-retry.ts, and
 * batch-calls.ts per item); each result is recorded — links, membership links,
 * provisioning events (object type `group` / `membership`) and cycle counts — in one transaction
 * per batch. Failed actions are not escrowed: the next full cycle re-plans them.
 */
import type { Connection, ConnectorError, ConnectorResult, GroupClient } from '../../connectors/contract.ts';
import type { GroupRules } from '../../connectors/target-facts.ts';
import type { Db } from '../../db/database.ts';
import { callWithRetry } from '../apply/call-with-retry.ts';
import { batchWithRetry, chunksOf } from './batch-calls.ts';
import { runPool } from '../apply/run-pool.ts';
import { stopApplication } from '../apply/stop-application.ts';
import { type CycleCounts, addToCycle, recordEvents, tally } from '../events/record-event.ts';
import type { Result } from '../../errors/result.ts';
import { readUserLinks } from '../links/user-links.ts';
import { UNPROVEN_REASON, memberKey, unprovenMembers } from './recheck-members.ts';
import type { PlanStep } from '../diff/plan-types.ts';
import { deleteGroupLinks, deleteMembershipLinks, readGroupLinks, saveGroupLinks, saveMembershipLinks } from './group-links.ts';
import { type GroupOutcome, failedAt, noted, skippedAt, succeededAt } from './group-outcome.ts';
import type { GroupPlan, GroupPlanAction, GroupSnapshot } from './group-plan-types.ts';

export interface GroupApplyDeps {
  db: Db;
  applicationId: string;
  cycleId: string | null;
  connection: Connection;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** The full cycle's read of the target (tells which group is the default one without another call). */
  snapshot?: GroupSnapshot | undefined;
  concurrency?: number;
  /** True once this run lost its lease (or the application stopped): nothing more is sent. */
  abandoned?: () => boolean;
  /** The connector's group rules (e.g. a last membership falls back to the default group). */
  groupRules?: GroupRules | undefined;
  /**
   * The user plan of the same run, applied at the same time as the groups are placed (created,
   * linked, renamed: nothing of theirs needs a user): memberships wait for it, so members created
   * in this run have accounts (and links) to add. Without it, the caller applied the users first.
   */
  usersApplied?: Promise<unknown> | undefined;
  /**
   * Sooner than `usersApplied`: every user write of the run has its answer, with the accounts
   * confirmed (directory user → account, null: link dropped), before they are all recorded; null:
   * wait for `usersApplied`. Used only for members whose account this run placed: checks that read
   * the links of accounts known at planning (the recheck before adding or removing them) wait for
   * the records.
   */
  usersWritten?: Promise<ReadonlyMap<string, string | null> | null> | undefined;
}

export interface GroupApplyResult {
  stopped: ConnectorError | null;
  counts: Partial<CycleCounts>;
  /** Every action's provisioning event, in the order recorded. */
  events: GroupOutcome['event'][];
}

type Of<K extends GroupPlanAction['kind']> = Extract<GroupPlanAction, { kind: K }>;

/** A batch call that answered no result for an item (the connector broke its contract): the next cycle re-plans it. */
const noResult: ConnectorError = { code: 'batch_result_missing', class: 'transient', message: 'The connector answered no result for this item', advice: 'Roster tries again in the next cycle.' };

/** Batch items sorted by target group, so one group's members travel in as few batches (and requests) as possible. */
const byGroup = <T extends { groupId: string }>(items: T[]): T[] => [...items].sort((x, y) => (x.groupId < y.groupId ? -1 : x.groupId > y.groupId ? 1 : 0));

/** Connector error codes are `<connector>.<code>`; these suffixes are the group contract's shared meanings. */
const isCode = (e: ConnectorError, code: 'not_found' | 'last_group_membership' | 'default_group'): boolean => e.code === code || e.code.endsWith(`.${code}`);

export async function applyGroupPlan(deps: GroupApplyDeps, plan: GroupPlan): Promise<GroupApplyResult> {
  const result: GroupApplyResult = { stopped: null, counts: {}, events: [] };
  const client = deps.connection.groups;
  if (!client || plan.actions.length === 0) return result;
  const policy = { sleep: deps.sleep };
  const concurrency = deps.concurrency ?? 4;
  // Batches only when the client offers them; the capabilities say how large (read only then: a cached read).
  const caps = client.addMembers || client.removeMembers || client.createMany ? await deps.connection.capabilities() : null;
  const batchMax = caps?.ok ? (caps.value.groupBatchMaxItems ?? 1) : 1;
  const batching = batchMax > 1;
  let chain: Promise<void> = Promise.resolve();
  const record = (outcomes: GroupOutcome[]): Promise<void> => {
    if (outcomes.length === 0) return chain;
    chain = chain.then(() => writeOutcomes(deps, outcomes, result));
    return chain;
  };
  const go = () => !result.stopped && !deps.abandoned?.();
  /** Batches of items, `concurrency` at once; each batch's outcomes recorded together. */
  const runBatches = async <T>(items: T[], work: (batch: T[]) => Promise<(took: number) => GroupOutcome[]>) => {
    await runPool(chunksOf(items, batchMax), concurrency, async (batch) => {
      if (!go()) return;
      const started = deps.now();
      const finish = await work(batch);
      await record(finish(deps.now() - started));
    });
  };
  const of = <K extends GroupPlanAction['kind']>(...kinds: K[]) => plan.actions.filter((a): a is Of<K> => (kinds as string[]).includes(a.kind));
  /** `work` answering null: the action goes into a batch, recorded when the batch is done. */
  const run = async <A extends GroupPlanAction>(actions: A[], work: (a: A) => Promise<((took: number) => GroupOutcome) | null>) => {
    let buffer: GroupOutcome[] = [];
    await runPool(actions, concurrency, async (a) => {
      if (!go()) return;
      // Awaited before `buffer` is read: another worker may have flushed and replaced it meanwhile (its outcomes were lost).
      const started = deps.now();
      const finish = await work(a);
      if (finish === null) return;
      const outcome = finish(deps.now() - started);
      buffer.push(outcome);
      if (buffer.length >= 25) {
        const out = buffer;
        buffer = [];
        await record(out);
      }
    });
    await record(buffer);
  };

  await record(of('skip', 'report').map((a) => noted(a)));

  const targets = createTargetGroups(client, deps, policy);
  /** Directory group → target group, as confirmed in this run. */
  const placed = new Map<string, string>();
  const createLater: Of<'create'>[] = [];
  await run(of('create', 'link', 'update'), async (a) => {
    if (a.kind === 'create') {
      const found = a.probe ? await targets.unlinkedNamed(a.input.name) : { ok: true as const, value: null };
      if (!found.ok) return (took) => failedAt(a, null, found.error, took);
      if (found.value) {
        const existing = found.value;
        const steps: PlanStep[] = [{ name: 'match', outcome: 'matched', detail: `name = "${a.input.name}" → target group ${existing.id}` }];
        const patch = (existing.description ?? '') === (a.input.description ?? '') ? null : { description: a.input.description };
        const r = patch ? await callWithRetry(() => client.update(existing.id, patch), policy) : { ok: true as const, value: existing };
        if (!r.ok) return (took) => failedAt(a, existing.id, r.error, took, steps);
        placed.set(a.directoryId, existing.id);
        const linked = { ...a, kind: 'link' as const, targetId: existing.id, patch: patch ?? {}, written: a.input, steps: [...a.steps.filter((s) => s.name !== 'action'), { name: 'action' as const, outcome: 'link', detail: 'an existing group of this name' }] };
        return (took) => succeededAt(linked, existing.id, took, steps);
      }
      if (batching && client.createMany) {
        createLater.push(a);
        return null;
      }
      const r = await callWithRetry(() => client.create(a.input), policy);
      if (!r.ok) return (took) => failedAt(a, null, r.error, took);
      placed.set(a.directoryId, r.value.id);
      return (took) => succeededAt(a, r.value.id, took);
    }
    if (Object.keys(a.patch).length > 0) {
      const r = await callWithRetry(() => client.update(a.targetId, a.patch), policy);
      if (!r.ok) return (took) => failedAt(a, a.targetId, r.error, took);
    }
    placed.set(a.directoryId, a.targetId);
    return (took) => succeededAt(a, a.targetId, took);
  });
  await chain;
  // Creates are not retried item by item (a create with an unknown outcome is the connector's to settle): the next cycle re-plans a failed one.
  await runBatches(createLater, async (batch) => {
    const r = await callWithRetry(() => client.createMany!(batch.map((a) => a.input)), policy);
    return (took) =>
      batch.map((a, i) => {
        const item = r.ok ? r.value[i] : null;
        if (item?.ok) {
          placed.set(a.directoryId, item.value.id);
          return succeededAt(a, item.value.id, took);
        }
        return failedAt(a, null, r.ok ? (item?.error ?? noResult) : r.error, took);
      });
  });
  await chain;

  // Users provisioned earlier in this run (from the answers when every user write has one, else
  // from the records), and groups placed in an earlier run, are read now.
  const adds = of('add_member');
  const answered = (await deps.usersWritten) ?? null;
  if (answered === null || adds.some((a) => a.targetUserId !== null)) await deps.usersApplied;
  if (!go()) return result;
  const userTargets = new Map<string, string>();
  const unread = new Set<string>();
  for (const a of adds) {
    if (a.targetUserId !== null || !a.directoryId) continue;
    const known = answered?.get(a.directoryId);
    if (known === undefined) unread.add(a.directoryId);
    else if (known !== null) userTargets.set(a.directoryId, known);
  }
  for (const l of unread.size ? await readUserLinks(deps.db, deps.applicationId, [...unread]) : []) userTargets.set(l.directoryId, l.targetId);
  const unplaced = [...new Set(adds.filter((a) => a.targetGroupId === null && !placed.has(a.groupId)).map((a) => a.groupId))];
  for (const l of unplaced.length ? await readGroupLinks(deps.db, deps.applicationId, unplaced) : []) placed.set(l.directoryId, l.targetId);

  await record(of('link_member').map((a) => succeededAt(a, a.membershipId, 0)));
  // Accounts the plan verified when it read the target are read again right before their memberships are written.
  const unproven = async (actions: readonly GroupPlanAction[]): Promise<Result<Set<string>, ConnectorError>> =>
    unprovenMembers(deps, actions.flatMap((a) => ('targetUserId' in a && a.targetUserId !== null && a.directoryId ? [{ directoryId: a.directoryId, targetUserId: a.targetUserId }] : [])));
  const suspectAdds = await unproven(adds);
  const addLater: { a: Of<'add_member'>; groupId: string; userId: string }[] = [];
  await run(adds, async (a) => {
    if (a.targetUserId !== null && a.directoryId) {
      if (!suspectAdds.ok) return (took) => failedAt(a, null, suspectAdds.error, took);
      if (suspectAdds.value.has(memberKey({ directoryId: a.directoryId, targetUserId: a.targetUserId }))) return (took) => skippedAt(a, 'link_mismatch', UNPROVEN_REASON, took);
    }
    const groupId = a.targetGroupId ?? placed.get(a.groupId) ?? null;
    const userId = a.targetUserId ?? (a.directoryId ? userTargets.get(a.directoryId) : undefined) ?? null;
    if (groupId === null) return (took) => skippedAt(a, 'group_not_provisioned', `not added: the group ${a.groupName} is not in the target (see its own event)`, took);
    if (userId === null) return (took) => skippedAt(a, 'member_not_provisioned', 'waiting: the user is not provisioned yet; added once they are', took);
    if (batching && client.addMembers) {
      addLater.push({ a, groupId, userId });
      return null;
    }
    const r = await callWithRetry(() => client.addMember(groupId, userId), policy);
    return (took) => (r.ok ? succeededAt(a, r.value.membershipId, took) : failedAt(a, null, r.error, took));
  });

  await runBatches(byGroup(addLater), async (batch) => {
    const r = await batchWithRetry(batch, (items) => client.addMembers!(items.map(({ groupId, userId }) => ({ groupId, userId }))), policy);
    return (took) =>
      batch.map(({ a }, i) => {
        const item = r.ok ? r.value[i] : null;
        return item?.ok ? succeededAt(a, item.value.membershipId, took) : failedAt(a, null, r.ok ? (item?.error ?? noResult) : r.error, took);
      });
  });
  await chain;

  const removes = of('remove_member');
  // The recheck of removals reads the members' links: as the users' apply leaves them.
  await deps.usersApplied;
  const suspectRemoves = await unproven(removes.filter((a) => !a.gone));
  const removeLater: { a: Of<'remove_member'>; groupId: string }[] = [];
  const removed = (a: Of<'remove_member'>, r: ConnectorResult<unknown>): ((took: number) => GroupOutcome) | null => {
    if (r.ok || isCode(r.error, 'not_found')) return (took) => succeededAt(a, a.membershipId, took, r.ok ? [] : [{ name: 'action', outcome: 'gone', detail: 'the membership was already gone from the target' }]);
    if (!isCode(r.error, 'last_group_membership') || !deps.groupRules?.lastMembershipFallsBackToDefaultGroup) return (took) => failedAt(a, a.membershipId, r.error, took);
    return null;
  };
  await run(removes, async (a) => {
    if (a.gone) return (took) => succeededAt(a, a.membershipId, took);
    if (a.targetUserId !== null && a.directoryId) {
      if (!suspectRemoves.ok) return (took) => failedAt(a, a.membershipId, suspectRemoves.error, took);
      if (suspectRemoves.value.has(memberKey({ directoryId: a.directoryId, targetUserId: a.targetUserId }))) return (took) => skippedAt(a, 'link_mismatch', UNPROVEN_REASON, took);
    }
    if (batching && client.removeMembers) {
      removeLater.push({ a, groupId: a.targetGroupId });
      return null;
    }
    const r = await callWithRetry(() => client.removeMember(a.membershipId), policy);
    return removed(a, r) ?? keepInDefaultGroup(a, client, targets, policy, r.ok ? noResult : r.error);
  });
  await runBatches(byGroup(removeLater), async (batch) => {
    const r = await batchWithRetry(batch, (items) => client.removeMembers!(items.map(({ a }) => a.membershipId)), policy);
    const finishers = await Promise.all(
      batch.map(async ({ a }, i) => {
        const item = r.ok ? r.value[i] : null;
        const res: ConnectorResult<unknown> = r.ok ? (item ? (item.ok ? { ok: true, value: undefined } : { ok: false, error: item.error }) : { ok: false, error: noResult }) : r;
        return removed(a, res) ?? keepInDefaultGroup(a, client, targets, policy, res.ok ? noResult : res.error);
      }),
    );
    return (took) => finishers.map((f) => f(took));
  });

  await run(of('delete', 'unlink'), async (a) => {
    if (a.kind === 'unlink') return (took) => succeededAt(a, a.targetId, took);
    const r = await callWithRetry(() => client.delete(a.targetId), policy);
    if (r.ok) return (took) => succeededAt(a, a.targetId, took);
    if (isCode(r.error, 'not_found')) return (took) => succeededAt(a, a.targetId, took, [{ name: 'action', outcome: 'gone', detail: 'the target group was already gone' }]);
    if (isCode(r.error, 'default_group')) {
      const reason = `not deleted: ${r.error.message}; the group is left in place and no longer managed`;
      const unlink = { ...a, kind: 'unlink' as const, reason, steps: [...a.steps.filter((s) => s.name !== 'action'), { name: 'action' as const, outcome: 'unlink', detail: reason }] };
      return (took) => succeededAt(unlink, a.targetId, took);
    }
    return (took) => failedAt(a, a.targetId, r.error, took);
  });
  await chain;
  return result;
}

/**
 * The target refused to remove an agent's last membership and its group rules say every agent
 * stays in a group (`lastMembershipFallsBackToDefaultGroup`): make sure the user is in the default
 * group, then remove; when the group is the default group itself, the membership stays and the log says why.
 */
async function keepInDefaultGroup(a: Of<'remove_member'>, client: GroupClient, targets: TargetGroups, policy: { sleep(ms: number): Promise<void> }, refused: ConnectorError): Promise<(took: number) => GroupOutcome> {
  const fallback = await targets.defaultGroup();
  if (!fallback.ok) return (took) => failedAt(a, a.membershipId, fallback.error, took);
  const home = fallback.value;
  if (!home || home.id === a.targetGroupId || a.targetUserId === null) {
    const reason = `kept: it is the agent's only group and the target requires every agent to be in one (${refused.message}); add the user to another group, or make them an end user`;
    return (took) => skippedAt(a, 'last_group_membership', reason, took);
  }
  const userId = a.targetUserId;
  const added = await callWithRetry(() => client.addMember(home.id, userId), policy);
  if (!added.ok) return (took) => failedAt(a, a.membershipId, added.error, took);
  const step: PlanStep = { name: 'action', outcome: 'add_member', detail: `kept in the default group "${home.name}" first: the target requires every agent to be in a group` };
  const r = await callWithRetry(() => client.removeMember(a.membershipId), policy);
  if (!r.ok) return (took) => failedAt(a, a.membershipId, r.error, took, [step]);
  return (took) => succeededAt(a, a.membershipId, took, [step]);
}

interface TargetGroups {
  /** A live target group of exactly this name that no group link holds. */
  unlinkedNamed(name: string): Promise<ConnectorResult<{ id: string; name: string; description?: string | null } | null>>;
  defaultGroup(): Promise<ConnectorResult<{ id: string; name: string } | null>>;
}

/** The target's groups, listed once per apply and only if needed (the snapshot serves a full cycle). */
function createTargetGroups(client: GroupClient, deps: GroupApplyDeps, policy: { sleep(ms: number): Promise<void> }): TargetGroups {
  let listing: Promise<ConnectorResult<{ id: string; name: string; description?: string | null; isDefault?: boolean }[]>> | null = null;
  const list = () =>
    (listing ??= deps.snapshot
      ? Promise.resolve({ ok: true as const, value: deps.snapshot.groups })
      : callWithRetry(async () => {
          const out: { id: string; name: string; description?: string | null; isDefault?: boolean }[] = [];
          for await (const page of client.list()) {
            if (!page.ok) return page;
            out.push(...page.value);
          }
          return { ok: true as const, value: out };
        }, policy));
  const claimed = new Set<string>();
  return {
    async unlinkedNamed(name) {
      const all = await list();
      if (!all.ok) return all;
      const linked = new Set((await readGroupLinks(deps.db, deps.applicationId)).map((l) => l.targetId));
      const hit = all.value.find((g) => g.name === name && !linked.has(g.id) && !claimed.has(g.id));
      if (hit) claimed.add(hit.id);
      return { ok: true, value: hit ?? null };
    },
    async defaultGroup() {
      const all = await list();
      if (!all.ok) return all;
      return { ok: true, value: all.value.find((g) => g.isDefault) ?? null };
    },
  };
}

async function writeOutcomes(deps: GroupApplyDeps, outcomes: GroupOutcome[], result: GroupApplyResult): Promise<void> {
  const events = outcomes.map((o) => ({ ...o.event, applicationId: deps.applicationId, cycleId: deps.cycleId }));
  const add = tally(events);
  const stopping = outcomes.find((o) => o.error)?.error;
  await deps.db.transaction(async (tx) => {
    await saveGroupLinks(tx, deps.applicationId, outcomes.flatMap((o) => (o.groupLink ? [o.groupLink] : [])));
    await deleteGroupLinks(tx, deps.applicationId, outcomes.flatMap((o) => (o.groupUnlink ? [o.groupUnlink] : [])));
    await saveMembershipLinks(tx, deps.applicationId, outcomes.flatMap((o) => (o.memberLink ? [o.memberLink] : [])));
    await deleteMembershipLinks(tx, deps.applicationId, outcomes.flatMap((o) => (o.memberUnlink ? [o.memberUnlink] : [])));
    await recordEvents(tx, events);
    if (deps.cycleId) await addToCycle(tx, deps.cycleId, add, outcomes.length);
    if (stopping && !result.stopped) await stopApplication(tx, deps.applicationId, stopping);
  });
  if (stopping && !result.stopped) result.stopped = stopping;
  result.events.push(...outcomes.map((o) => o.event));
  for (const [k, n] of Object.entries(add) as [keyof CycleCounts, number][]) result.counts[k] = (result.counts[k] ?? 0) + n;
}
