/**
 * Apply: executes a plan through a connection. Users are written by the one target writer
 * (target-writer.ts: bulk jobs and single calls at the same time, split by what the run measures;
 * the connection's pacer holds the shared request budget). Each result is recorded as it arrives (link, provisioning
 * event, escrow, cycle counts) in one transaction per batch, so a crash loses at most the batch in
 * flight — and re-running is safe, since plans are recomputed from links and creates are looked up
 * by external id before any retry.
 */
import type { ConnectorError, ConnectorResult, TargetUser, TargetUserInput } from '../../connectors/contract.ts';
import type { Db } from '../../db/database.ts';
import { type CycleCounts, addToCycle, recordEvents, tally } from '../events/record-event.ts';
import { checkIdentity } from '../links/identity-check.ts';
import { deleteUserLinks, linkedToOthers, saveUserLinks } from '../links/user-links.ts';
import type { Plan, PlanAction } from '../diff/plan-types.ts';
import { createChanges } from '../diff/action-changes.ts';
import { callWithRetry } from './call-with-retry.ts';
import { type Outcome, deferred, failed, mismatched, succeeded } from './outcome.ts';
import { runPool } from './run-pool.ts';
import type { PlacedUsers } from './placed-users.ts';
import { type TargetWriterDeps, type WriteHooks, writeUsers } from './target-writer.ts';
import { clearRetries, escrowUsers } from '../escrow/retries.ts';
import { recordCreateIntent } from '../run/create-intent.ts';
import { recheckAccounts } from './recheck.ts';
import { DIRECTORY_CHANGED, staleClaims } from './stale-claims.ts';
import { stopApplication } from './stop-application.ts';

/** The target writer's own deps (connection, capabilities, clock, concurrency, channels), plus the run's. */
export interface ApplyDeps extends Omit<TargetWriterDeps, 'split'> {
  db: Db;
  applicationId: string;
  /** The cycle (or incremental batch) the events and counts belong to. */
  cycleId: string | null;
  /** True once this run lost its lease: nothing more is sent, the rest waits in escrow for the new holder. */
  abandoned?: () => boolean;
  /** Told each result before it is recorded, and when every write has its answer (the group apply starts on it: placed-users.ts). */
  placed?: PlacedUsers;
}

export interface ApplyResult {
  /** The configuration error that stopped the application, if one did. */
  stopped: ConnectorError | null;
  counts: Partial<CycleCounts>;
  /** Failed actions whose class is not `object` (the target or the connection failed, not the user): the health rules count them. */
  systemicFailures?: number;
}

export { BULK_FROM } from './target-writer.ts';

/**
 * Outcomes per record transaction: a batch's 1,000 results go in slices, so a request waiting for
 * the database (the shared pacer's slot) is served between them, not after all of them (PGlite
 * runs one transaction at a time).
 */
const RECORD_SLICE = 250;
/**
 * Each record slice starts a few turns of the event loop later (about a millisecond): what the
 * results just handed over set going — the group apply's next request, its pacer slot in the
 * database, fetch writing it out — goes first, instead of waiting behind the records.
 */
async function afterPending(): Promise<void> {
  for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/** The target confirmed one account id for two users of a batch: neither is linked, both are planned again at once. */
const TARGET_ID_REUSED: ConnectorError = {
  code: 'target_id_reused',
  class: 'transient',
  message: 'The target answered the same account id for this user and another one in the same run (it handed an id out again); no link was written.',
  advice: 'None: the user is matched again at once by their external id.',
};

type Creating = Extract<PlanAction, { kind: 'create' }>;
type Patching = Extract<PlanAction, { kind: 'link' | 'update' | 'suspend' | 'unsuspend' | 'deprovision-suspend' }>;
type Finding = Extract<PlanAction, { kind: 'find' }>;
type Deleting = Extract<PlanAction, { kind: 'delete' }>;

/**
 * Applies `plan`, taking its actions: the plan is left empty and each action is released once its
 * result is recorded, so a large run's memory falls as it proceeds instead of holding every user's
 * action to the end.
 */
export async function applyPlan(deps: ApplyDeps, plan: Plan): Promise<ApplyResult> {
  try {
    return await applyActions(deps, plan);
  } finally {
    // Unless told already (every write answered): the group apply waits for the records.
    deps.placed?.settle(false);
  }
}

async function applyActions(deps: ApplyDeps, plan: Plan): Promise<ApplyResult> {
  const result: ApplyResult = { stopped: null, counts: {}, systemicFailures: 0 };
  const policy = { sleep: deps.sleep };
  const concurrency = deps.concurrency ?? 8;

  let chain: Promise<void> = Promise.resolve();
  /** Serialises the record transactions (PGlite has one connection; order keeps the log readable). */
  const record = (outcomes: Outcome[]): Promise<void> => {
    deps.placed?.note(outcomes);
    for (let i = 0; i < outcomes.length; i += RECORD_SLICE) {
      const slice = outcomes.slice(i, i + RECORD_SLICE);
      chain = chain.then(afterPending).then(() => writeOutcomes(deps, slice, result));
    }
    // A failed record reaches the writer (through `done`) or the end of the apply; never unhandled when the apply ends first.
    chain.catch(() => undefined);
    return chain;
  };
  const pending: PlanAction[] = [];
  const guard = (actions: PlanAction[]): boolean => {
    if (!result.stopped && !deps.abandoned?.()) return true;
    pending.push(...actions);
    return false;
  };

  // One pass sorts the actions by what apply does with them; each list is emptied as it is handled.
  const mismatches: PlanAction[] = [];
  const skips: PlanAction[] = [];
  const creates: Creating[] = [];
  const withProbes: Creating[] = [];
  let patches: Patching[] = [];
  const finds: Finding[] = [];
  const deletes: Deleting[] = [];
  for (const a of plan.actions.splice(0)) {
    if (a.mismatch !== undefined) mismatches.push(a);
    if (a.kind === 'skip' || a.kind === 'drift') skips.push(a);
    else if (a.kind === 'create') (a.probes.length > 0 ? withProbes : creates).push(a);
    else if (a.kind === 'link' || a.kind === 'update' || a.kind === 'suspend' || a.kind === 'unsuspend' || a.kind === 'deprovision-suspend') patches.push(a);
    else if (a.kind === 'find') finds.push(a);
    else if (a.kind === 'delete') deletes.push(a);
  }

  // Links that failed the identity check are dropped and logged first: nothing is ever sent to their accounts, and the user's action below starts from no link.
  while (mismatches.length) await record(mismatches.splice(0, 500).map((a) => mismatched(a, a.mismatch!)));
  while (skips.length) await record(skips.splice(0, 500).map((a) => succeeded(a, '', 0)));

  // Creates first; a create with probes may turn out to be a link to an existing account.
  // The lookups by external id of every create and find, read in batches (one request per 100) instead of one request per user.
  const lookups = await prefetchExternalIds(deps, [...withProbes, ...finds], policy);
  await runPool(withProbes.splice(0), concurrency, async (a) => {
    if (!guard([a])) return;
    const started = deps.now();
    const found = await probe(deps, a, policy, lookups);
    if (!found.ok) return record([failed(a, found.error, deps.now() - started)]);
    if (found.value) patches.unshift(asLink(a, found.value));
    else creates.push(a);
  });
  await runPool(finds.splice(0), concurrency, async (a) => {
    if (!guard([a])) return;
    const started = deps.now();
    const found = await find(deps, a, policy, lookups);
    // A failed lookup is a failed deprovisioning (escrowed and retried), never a skip.
    if (!found.ok) return record([failed(a, found.error, deps.now() - started)]);
    if (!found.value) return record([succeeded(a, '', deps.now() - started)]);
    const next = afterFind(a, found.value);
    if (next.kind === 'delete') deletes.push(next);
    else patches.unshift(next);
  });

  // Write-ahead: the run's lease names the users it is about to create, so a run that dies between a
  // create and its link is re-planned for them (lost-runs.ts) — linked if still wanted, deprovisioned if not.
  if (deps.cycleId && creates.length > 0) await recordCreateIntent(deps.db, deps.cycleId, creates.map((a) => a.directoryId));
  const writer: TargetWriterDeps = { connection: deps.connection, capabilities: deps.capabilities, sleep: deps.sleep, now: deps.now, concurrency, ...(deps.channels ? { channels: deps.channels } : {}) };
  const hooks = <A extends PlanAction>(check?: (chunk: A[]) => Promise<A[]>): WriteHooks<A> => ({
    ...(check ? { current: check } : {}),
    go: () => !result.stopped && !deps.abandoned?.(),
    held: (actions) => void pending.push(...actions),
    // The writer goes on once the results before these are recorded (one batch recorded while the
    // next is written, at most): the last batch's record does not hold back the end of the writes.
    done: (results) => {
      const before = chain;
      void record(results.map((x) => (x.ok ? succeeded(x.item, x.id, x.ms) : failed(x.item, x.error, x.ms))));
      return before;
    },
  });
  // The writer takes each list and empties it as it sends.
  await writeUsers(writer, creates, (a) => ({ kind: 'create', input: a.input }), hooks<Creating>());

  const linkOnly = patches.filter((a) => Object.keys(a.patch).length === 0);
  const toPatch = patches.filter((a) => Object.keys(a.patch).length > 0);
  patches = [];
  while (linkOnly.length) await record(linkOnly.splice(0, 500).map((a) => succeeded(a, a.targetId, 0)));
  // Just before each call: a claim of an account matched by email goes ahead only while the user is as
  // the plan read them, and every account written must still prove to be the user's (recheck.ts).
  const current = async <A extends Patching | Deleting>(chunk: A[]): Promise<A[]> => {
    const stale = await staleClaims(deps.db, chunk);
    if (stale.size) await record([...stale].map((a) => deferred(a, DIRECTORY_CHANGED)));
    const checked = await recheckAccounts(deps, chunk.filter((a) => !stale.has(a)));
    if (checked.outcomes.length) await record(checked.outcomes);
    return checked.keep;
  };
  await writeUsers(writer, toPatch, (a) => ({ kind: 'update', id: a.targetId, patch: a.patch }), hooks<Patching>(current));
  await writeUsers(writer, deletes, (a) => ({ kind: 'delete', id: a.targetId }), hooks<Deleting>(current));
  // Every write has its answer (the records may still be running).
  deps.placed?.settle(!result.stopped && !deps.abandoned?.() && pending.length === 0);

  await chain;
  if (pending.length) {
    // Stopped (or lease lost): the users not yet handled wait in escrow, due at once, so no change is lost.
    const error = result.stopped ?? { code: 'lease_lost', class: 'transient' as const, message: 'Another worker took this application over.', advice: 'None: the new run applies the change.' };
    await deps.db.transaction((tx) => escrowUsers(tx, deps.applicationId, pending.map((a) => ({ directoryId: a.directoryId, error })), { immediate: true }));
  }
  return result;
}

/** Accounts found by external id ahead of the lookups, by lower-cased external id (null: not prefetched, each lookup asks the target). */
type Lookups = Map<string, TargetUser[]> | null;

/**
 * One batched read (`findByMany`: as few requests as the target allows, e.g. one per 100) of every
 * external id the actions would look up. A failed read is no answer: the lookups then ask one by
 * one, so a failure stays the failure of the user it concerns.
 */
async function prefetchExternalIds(deps: ApplyDeps, actions: readonly (Creating | Finding)[], policy: { sleep(ms: number): Promise<void> }): Promise<Lookups> {
  const values = [...new Set(actions.flatMap((a) => a.probes.filter((p) => p.field === 'external_id').map((p) => p.value)))];
  if (values.length < 2) return null;
  const r = await callWithRetry(() => deps.connection.users.findByMany('external_id', values), policy);
  if (!r.ok) return null;
  const out = new Map<string, TargetUser[]>(values.map((v) => [v.toLowerCase(), []]));
  for (const t of r.value) {
    const key = t.externalId?.toLowerCase();
    if (key !== undefined) out.get(key)?.push(t);
  }
  return out;
}

/**
 * `findBy`, answered from the batched read when it covered the value. By external id, only accounts
 * that carry it as the target shows them count: a stale search index must not hand one person's
 * account to another.
 */
async function lookUpOne(deps: ApplyDeps, p: { field: string; value: string }, policy: { sleep(ms: number): Promise<void> }, lookups: Lookups): Promise<ConnectorResult<TargetUser[]>> {
  const known = p.field === 'external_id' ? lookups?.get(p.value.toLowerCase()) : undefined;
  const r = known ? { ok: true as const, value: known } : await callWithRetry(() => deps.connection.users.findBy(p.field, p.value), policy);
  // External ids only: an email may be a secondary identity the answer does not show.
  return r.ok && p.field === 'external_id' ? { ok: true, value: r.value.filter((t) => t.externalId?.toLowerCase() === p.value.toLowerCase()) } : r;
}

async function probe(deps: ApplyDeps, a: Creating, policy: { sleep(ms: number): Promise<void> }, lookups: Lookups): Promise<ConnectorResult<TargetUser | null>> {
  for (const p of a.probes) {
    const r = await lookUpOne(deps, p, policy, lookups);
    if (!r.ok) return r;
    // The account that failed this user's identity check is someone else's: never linked to them again;
    // nor is one linked to another directory user (their address may have moved to this user since).
    const others = await linkedToOthers(deps.db, deps.applicationId, a.directoryId, r.value.map((u) => u.id));
    const live = r.value.filter((u) => u.active && u.id !== a.mismatch?.held?.targetId && !others.has(u.id));
    if (live.length === 1) {
      a.steps.splice(1, 0, { name: 'match', outcome: 'matched', detail: `${p.field} = ${p.value} → target ${live[0]!.id}` });
      return { ok: true, value: live[0]! };
    }
    a.steps.splice(1, 0, { name: 'match', outcome: live.length ? 'ambiguous' : 'no match', detail: `${p.field} = ${p.value}` });
  }
  return { ok: true, value: null };
}

/**
 * Looks up the account of an unlinked user who must be suspended or deprovisioned. Only an account
 * that proves to be the user's (their external id, or no external id and the matching attribute) and
 * that no other directory user is linked to counts; two such accounts are an error for an admin.
 */
async function find(deps: ApplyDeps, a: Finding, policy: { sleep(ms: number): Promise<void> }, lookups: Lookups): Promise<ConnectorResult<TargetUser | null>> {
  // Removing someone the directory no longer wants (no desired state) touches only an account carrying the external id Roster wrote: one matched by email alone was never Roster's to remove.
  const matchValues = a.desired === null ? [] : a.probes.filter((p) => p.field !== 'external_id');
  const claim = { targetId: '', externalIds: a.probes.filter((p) => p.field === 'external_id').map((p) => p.value), matchValues };
  for (const p of a.probes) {
    const r = await lookUpOne(deps, p, policy, lookups);
    if (!r.ok) return r;
    const proven = r.value.filter((t) => checkIdentity({ ...claim, targetId: t.id }, t).ok);
    const others = await linkedToOthers(deps.db, deps.applicationId, a.directoryId, proven.map((t) => t.id));
    const hits = proven.filter((t) => !others.has(t.id));
    if (hits.length > 1) {
      const ids = hits.map((t) => t.id).join(', ');
      return { ok: false, error: { code: 'ambiguous_match', class: 'object', message: `${p.field} = ${p.value} matches ${hits.length} accounts (${ids}); none was ${a.then === 'delete' ? 'deleted' : 'suspended'}`, advice: 'Merge or fix the duplicate accounts in the target; Roster retries later.' } };
    }
    a.steps.splice(-1, 0, { name: 'match', outcome: hits.length ? 'matched' : 'no match', detail: `${p.field} = ${p.value}${hits.length ? ` → target ${hits[0]!.id}` : ''}` });
    if (hits.length === 1) return { ok: true, value: hits[0]! };
  }
  return { ok: true, value: null };
}

/** The found account of a `find`: linked, then suspended or deprovisioned. */
function afterFind(a: Finding, t: TargetUser): Patching | Deleting {
  const base = { directoryId: a.directoryId, identity: a.identity, targetId: t.id };
  const steps = (outcome: string, detail: string) => [...a.steps.filter((s) => s.name !== 'action'), { name: 'action' as const, outcome, detail }];
  const suspending = t.suspended ? [] : [{ property: 'suspended', old: false, new: true }];
  if (a.then === 'delete') return { ...base, kind: 'delete', steps: steps('delete', 'the account found is linked, then deleted'), changes: [] };
  // What the new link remembers: at least the external id that proved the account, the evidence of the next identity check.
  const proven = { externalId: t.externalId ?? a.desired?.externalId ?? a.directoryId, roleKey: t.roleKey, suspended: true, attributes: t.email ? { email: t.email } : {} };
  if (a.then === 'deprovision-suspend' || a.desired === null) {
    return { ...base, kind: 'deprovision-suspend', patch: t.suspended ? {} : { suspended: true }, written: a.written ?? proven, steps: steps('suspend', 'the account found is linked, then suspended'), changes: suspending };
  }
  const d = a.desired;
  // Only the suspension (and the external id, for an account found by email): the other fields follow field by field once linked.
  const patch: Partial<TargetUserInput> = { ...(t.externalId === d.externalId ? {} : { externalId: d.externalId }), ...(t.suspended ? {} : { suspended: true }) };
  const confirms = { written: { ...proven, externalId: d.externalId }, hash: null, suspended: true };
  return { ...base, kind: 'suspend', patch, desired: d, confirms, steps: steps('suspend', 'the account found is linked, then suspended'), changes: suspending };
}

/** A create whose probe found an account: link it and write everything the create would have. */
function asLink(a: Creating, t: TargetUser): Patching {
  // What the create would have sent (empty values left out: a target may refuse an empty value, and "not set" is what a create means by them).
  const patch: Partial<TargetUserInput> = { externalId: a.input.externalId, roleKey: a.input.roleKey, attributes: a.input.attributes };
  if (t.suspended !== a.desired.suspended) patch.suspended = a.desired.suspended;
  const steps = [...a.steps.filter((s) => s.name !== 'action'), { name: 'action' as const, outcome: 'link', detail: 'then update every mapped field' }];
  return { kind: 'link', directoryId: a.directoryId, identity: a.identity, targetId: t.id, patch, desired: a.desired, steps, changes: createChanges(a.input).filter((c) => c.property !== 'external_id' || t.externalId !== a.input.externalId) };
}

async function writeOutcomes(deps: ApplyDeps, outcomes: Outcome[], result: ApplyResult): Promise<void> {
  const events = outcomes.map((o) => ({ ...o.event, applicationId: deps.applicationId, cycleId: deps.cycleId }));
  const add = tally(events);
  const failures = outcomes.flatMap((o) => (o.failure ? [o.failure] : []));
  const stopping = failures.find((f) => f.error.class === 'configuration');
  await deps.db.transaction(async (tx) => {
    const ambiguous = await saveUserLinks(tx, deps.applicationId, outcomes.flatMap((o) => (o.link ? [o.link] : [])));
    await deleteUserLinks(tx, deps.applicationId, outcomes.flatMap((o) => (o.unlink ? [o.unlink] : [])));
    await recordEvents(tx, events);
    await clearRetries(tx, deps.applicationId, outcomes.flatMap((o) => (o.cleared ? [o.cleared] : [])), deps.cycleId);
    await escrowUsers(tx, deps.applicationId, failures.filter((f) => f.error.class !== 'configuration'));
    await escrowUsers(tx, deps.applicationId, failures.filter((f) => f.error.class === 'configuration'), { immediate: true });
    await escrowUsers(tx, deps.applicationId, outcomes.flatMap((o) => (o.retry ? [o.retry] : [])), { immediate: true });
    // After the clearing above: these succeeded at the target but could not be linked.
    await escrowUsers(tx, deps.applicationId, ambiguous.map((directoryId) => ({ directoryId, error: TARGET_ID_REUSED })), { immediate: true });
    if (deps.cycleId) await addToCycle(tx, deps.cycleId, add, outcomes.length);
    if (stopping && !result.stopped) await stopApplication(tx, deps.applicationId, stopping.error);
  });
  if (stopping && !result.stopped) result.stopped = stopping.error;
  result.systemicFailures = (result.systemicFailures ?? 0) + failures.filter((f) => f.error.class !== 'object').length;
  for (const [k, n] of Object.entries(add) as [keyof CycleCounts, number][]) result.counts[k] = (result.counts[k] ?? 0) + n;
}
