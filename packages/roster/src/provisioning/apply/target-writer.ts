/**
 * The one target writer, used by apply (apply-plan.ts) and the import from the target
 * (import/write-target.ts): writes users through bulk jobs and single calls at the same time,
 * both taking from one queue (channel-split.ts decides, from what this run measures, how many
 * go each way), each call retried by its error's class (call-with-retry.ts), bulk results mapped
 * back to their users by index, the request budget held by the connection's shared pacer and the
 * job cap by `capabilities.bulkMaxInFlight` (bulk calls alone when they answer inline: `bulkInline`). Checks that must run just before a write (the
 * identity recheck, stale claims) are the caller's `current` hook, run on each job's chunk right
 * before it is sent, and on single calls' users a few at a time (SINGLE_CHECK) right before they are
 * sent one by one.
 */
import type { BulkItemResult, Capabilities, Connection, ConnectorError, ConnectorResult, TargetUser, TargetUserInput } from '../../connectors/contract.ts';
import { callWithRetry } from './call-with-retry.ts';
import { type ChannelSplit, createChannelSplit } from './channel-split.ts';

/**
 * Below this many creates (or updates), single calls only: a bulk job waits in the target's queue
 * (often seconds), so a few changes reach the target sooner one by one.
 */
export const BULK_FROM = 10;

/**
 * Single calls have their users checked (`WriteHooks.current`: the identity recheck, one read per
 * 100 accounts) this many at a time, just before they are written one by one (a couple of seconds
 * at a full budget): one read per user would spend half the request budget on reads.
 */
export const SINGLE_CHECK = 20;

export interface TargetWriterDeps {
  connection: Connection;
  capabilities: Capabilities;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** Single calls in flight at once (the pacer still spaces them). */
  concurrency?: number;
  /** `bulk`: jobs only while the target has them (no single calls beside them); `single`: no jobs. Default: both channels. */
  channels?: 'both' | 'bulk' | 'single';
  /** Tests: a split with their own options. */
  split?: ChannelSplit;
}

/** What one user's write is: a create, or a patch of an account. */
export type TargetWrite = { kind: 'create'; input: TargetUserInput } | { kind: 'update'; id: string; patch: Partial<TargetUserInput> } | { kind: 'delete'; id: string };

export type WriteResult<T> = { item: T; ms: number } & ({ ok: true; id: string } | { ok: false; error: ConnectorError });

export interface WriteHooks<T> {
  /** Right before a job's chunk (or the next few single calls' users) is sent: the users still to write (e.g. the identity recheck). */
  current?(chunk: T[]): Promise<T[]>;
  /** False once nothing more may be sent (a configuration error, the lease lost). */
  go(): boolean;
  /** Users not sent because `go()` said no: the caller keeps them pending. */
  held(items: T[]): void | Promise<void>;
  /** Results as they arrive (single calls in groups of up to 25, a failure at once; a job's together). */
  done(results: WriteResult<T>[]): Promise<void>;
}

export interface WriteStats {
  bulk: number;
  single: number;
  jobs: number;
}

/**
 * Writes `items` (all of one kind: creates, updates or deletes; deletes have no bulk call) through
 * both channels; resolves when each one has a result or was held. Takes `items` as its queue: the
 * array is emptied as users are sent, so none is held after its result was handed to `done`.
 */
export async function writeUsers<T>(deps: TargetWriterDeps, items: T[], write: (item: T) => TargetWrite, hooks: WriteHooks<T>): Promise<WriteStats> {
  const queue = items;
  const total = queue.length;
  const policy = { sleep: deps.sleep };
  const concurrency = Math.max(1, deps.concurrency ?? 8);
  const kind = queue[0] === undefined ? 'delete' : write(queue[0]).kind;
  const creating = kind === 'create';
  const bulk = kind !== 'delete' && deps.channels !== 'single' && deps.capabilities.bulk && deps.connection.users.createMany !== undefined && deps.connection.users.updateMany !== undefined && total >= BULK_FROM;
  // A target whose bulk call answers its results (no job queue) gains nothing from single calls beside it.
  const singles = !bulk || (deps.channels !== 'bulk' && deps.capabilities.bulkInline !== true);
  // Beside jobs, the single calls fill what the request budget leaves: how many they finish is lanes
  // over each call's round trip, which grows on a busy host or target, so they get half as many lanes
  // again. No more: every lane waiting on the pacer holds a slot, and a job's submission or status
  // read may only jump ~2 % of a minute's slots (pacer-schedule.ts `priorityLeadMs`).
  const singleMax = bulk ? concurrency + Math.floor(concurrency / 2) : concurrency;
  const split = deps.split ?? createChannelSplit({ bulkSize: deps.capabilities.bulkMaxItems, jobCap: deps.capabilities.bulkMaxInFlight, singles, minJob: BULK_FROM });
  const current = hooks.current ?? (async (chunk: T[]) => chunk);

  // Wakes the bulk lane when something it decides on changed (a result arrived, the queue drained).
  let wake: () => void = () => undefined;
  let changed = new Promise<void>((resolve) => (wake = resolve));
  const notify = () => {
    wake();
    changed = new Promise<void>((resolve) => (wake = resolve));
  };
  /** Users taken for single calls and already checked, written next. */
  const checked: T[] = [];
  const stop = async (): Promise<boolean> => {
    if (hooks.go()) return false;
    const rest = [...queue.splice(0), ...checked.splice(0)];
    if (rest.length) await hooks.held(rest);
    notify();
    return true;
  };

  const one = async (item: T): Promise<ConnectorResult<string>> => {
    const w = write(item);
    if (w.kind === 'delete') {
      const r = await callWithRetry(() => deps.connection.users.delete(w.id), policy);
      return r.ok ? { ok: true, value: w.id } : r;
    }
    const r = w.kind === 'create' ? await callWithRetry(() => deps.connection.users.create(w.input), policy) : await callWithRetry(() => deps.connection.users.update(w.id, w.patch), policy);
    return r.ok ? { ok: true, value: (r.value as TargetUser).id } : r;
  };
  const result = (item: T, r: ConnectorResult<string>, ms: number): WriteResult<T> => (r.ok ? { item, ms, ok: true, id: r.value } : { item, ms, ok: false, error: r.error });

  // Single calls' users are checked a group at a time, one group ahead (while the lanes write the last
  // few of the previous one); without a check, one at a time as they are written.
  const group = hooks.current ? SINGLE_CHECK : 1;
  const lowWater = hooks.current ? concurrency : 0;
  let refill: Promise<void> | null = null;
  let failure: { error: unknown } | null = null;
  const startRefill = () => {
    // Singles take from the end, jobs from the front: the two never wait for the same users.
    const taken = queue.splice(Math.max(0, queue.length - group));
    if (queue.length === 0) notify();
    refill = current(taken)
      .then(
        // Stopped meanwhile: the checked users are held with the rest, never dropped.
        async (kept) => (hooks.go() ? void checked.unshift(...kept) : await hooks.held(kept)),
        (error: unknown) => void (failure = { error }),
      )
      .finally(() => {
        refill = null;
        notify();
      });
  };
  /** The next user for a single call, oldest check first; undefined when none is left. */
  const nextSingle = async (): Promise<T | undefined> => {
    for (;;) {
      if (failure) throw failure.error;
      if (!refill && checked.length <= lowWater && queue.length > 0) startRefill();
      if (checked.length > 0) return checked.pop();
      if (!refill) return undefined;
      await refill;
    }
  };

  const singleLane = async (_: unknown, lane: number) => {
    let buffer: WriteResult<T>[] = [];
    while (queue.length > 0 || checked.length > 0 || refill) {
      if (await stop()) break;
      if (bulk && lane >= split.singleLanes(singleMax, deps.now())) {
        await changed;
        continue;
      }
      const still = await nextSingle();
      if (still === undefined) continue;
      const started = deps.now();
      split.singleStarted(started);
      const r = await one(still);
      split.singleFinished(deps.now());
      buffer.push(result(still, r, deps.now() - started));
      notify();
      if (buffer.length >= 25 || !r.ok) {
        const out = buffer;
        buffer = [];
        await hooks.done(out);
      }
    }
    if (buffer.length) await hooks.done(buffer);
  };

  const jobs = new Set<Promise<void>>();
  const runJob = async (all: T[]) => {
    // Counted in flight at once, before the check's read: the bulk lane's next decision must see this job.
    const startedAt = split.jobStarted(all.length, deps.now());
    const chunk = await current(all);
    if (chunk.length === 0) return split.jobFinished(all.length, startedAt, deps.now(), false);
    const writes = chunk.map(write);
    const r = await callWithRetry<BulkItemResult[]>(
      () => (creating ? deps.connection.users.createMany!(writes.map((w) => (w as Extract<TargetWrite, { kind: 'create' }>).input)) : deps.connection.users.updateMany!(writes.map((w) => w as Extract<TargetWrite, { kind: 'update' }>).map((w) => ({ id: w.id, patch: w.patch })))),
      policy,
    );
    // A job counts as the target's pace only if it wrote someone: a submission that failed (a
    // connection the target had closed, a refusal) answers at once, every user of it unwritten.
    split.jobFinished(all.length, startedAt, deps.now(), r.ok && r.value.some((x) => x.ok));
    // The slot this job held is free: the bulk lane's next submission starts now, and reaches its
    // request-budget slot before this job's records are written (the caller's record waits a few
    // event-loop turns first: apply-plan.ts `afterPending`).
    notify();
    const took = () => deps.now() - startedAt;
    if (!r.ok) return hooks.done(chunk.map((item) => result(item, r, took())));
    const out: WriteResult<T>[] = [];
    for (const [i, item] of chunk.entries()) {
      const x = r.value.find((y) => y.index === i);
      if (x?.ok && x.id) out.push(result(item, { ok: true, value: x.id }, took()));
      else if (x && !x.ok && x.error.class !== 'transient') out.push(result(item, x, took()));
      // A transient per-item failure (or none reported): one idempotent single call settles it.
      else out.push(result(item, await one(item), took()));
    }
    await hooks.done(out);
  };

  const bulkLane = async () => {
    while (queue.length > 0) {
      if (await stop()) break;
      if (queue.length === 0) break;
      const k = split.nextJob(queue.length, deps.now());
      if (k === 0) {
        // Nothing to gain from a job now: wait for the next result, unless no single call will come.
        if (!singles && jobs.size === 0) throw new Error('target writer: bulk-only write declined a job with none in flight');
        await changed;
        continue;
      }
      const job = runJob(queue.splice(0, k)).finally(() => jobs.delete(job));
      jobs.add(job);
    }
    while (jobs.size > 0) await Promise.all([...jobs]);
  };

  const lanes = Math.min(singleMax, Math.max(1, total));
  await Promise.all([...(bulk ? [bulkLane()] : []), ...(singles ? Array.from({ length: lanes }, singleLane) : [])]);
  // A group being checked when the write stopped is held once its check ends.
  while (refill) await refill;
  const failed = failure as { error: unknown } | null; // set in the check's callback, which the compiler does not follow
  if (failed) throw failed.error;
  return split.sent();
}
