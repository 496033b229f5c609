/**
 * The run skeleton (issue 15, item 2): every kind of run — full cycles, incremental batches,
 * provisioning on demand, approved-plan applies, group syncs — is a step plugged into this one
 * function, which
 * 1. takes the application's lease with the run's scope (write-ahead intent; waiting for it when asked),
 * 2. keeps the heartbeat and tells the step when the lease was lost,
 * 3. marks a full cycle `running` (and `idle` at the end),
 * 4. on an exception: closes the run as failed with the stored error and puts its unfinished users
 *    in escrow (escrow/run-escrow.ts), then rethrows,
 * 5. finishes: stops the heartbeat, and records the run's health (quarantine, notifications) when the
 *    step reported what to assess.
 * The step opens the connection (open-run.ts), plans, applies, and closes the lease with `finish`.
 */
import { sql } from 'drizzle-orm';
import type { ConnectorError } from '../../connectors/contract.ts';
import type { Db } from '../../db/database.ts';
import { provisioningConfigs } from '../../db/provisioning-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { type ErrorLog, storedError } from '../../errors/stored-error.ts';
import type { Queue } from '../../jobs/queue.ts';
import { HEARTBEAT_MS, type LeaseKind, type LeaseScope, acquireCycle, finishCycle, renewCycle } from './cycle-lease.ts';
import { escrowFailedRun } from '../escrow/run-escrow.ts';
import type { Lane } from './lanes.ts';
import { recordRunHealth } from '../health/record-run-health.ts';

/** What the skeleton needs from its host. */
export interface RunHost {
  db: Db;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** Lease renewal period (default HEARTBEAT_MS). */
  heartbeatMs?: number | undefined;
  log?: ErrorLog | undefined;
  /** Hands a dead run's scope on (run/lost-runs.ts) and carries notifications; absent in some tests. */
  queue?: Queue | undefined;
}

export interface RunRequest {
  applicationId: string;
  kind: LeaseKind;
  scope?: LeaseScope;
  /** A full cycle: the application shows `running` while it runs. */
  full?: boolean;
  /** `quick`: a small batch of users that may run beside a main incremental batch sharing none of them (lanes.ts); default `main`. */
  lane?: Lane;
  /** Wait up to this long for another run's lease (then a 409 `conflict`); without it a held lease answers `busy` at once. */
  waitMs?: number | undefined;
  /** How the stored error names the run ("this cycle"), and ids for the server log. */
  what: string;
  logContext?: Record<string, unknown>;
}

/** The run as its step sees it. */
export interface Run {
  readonly applicationId: string;
  readonly cycleId: string;
  /** True once another worker took the lease over (the heartbeat found it closed). */
  lost(): boolean;
  /** Closes the lease as completed or failed, adding `unchanged` to its counts. */
  finish(status: 'completed' | 'failed', extra?: { unchanged?: number; error?: Record<string, unknown> | null }): Promise<void>;
  /** Asks for the health rules to assess this run once it ends (cycles and batches; absent: no assessment). */
  assess(report: { fatal: ConnectorError | null; systemicFailures: number }): void;
}

export type Leased<T> = { ok: true; value: T } | { ok: false; heldBy: HeldBy | null };

/** The run in the way of a lease. */
export interface HeldBy {
  cycleId: string;
  kind: string;
  lane?: string;
}

/** Runs `step` under the application's lease; `busy` when another run holds it (and no wait was asked). */
export async function runUnderLease<T>(host: RunHost, req: RunRequest, step: (run: Run) => Promise<T>): Promise<Leased<T>> {
  const acquired = await takeLease(host, req);
  if (!acquired.ok) return acquired;
  const { applicationId } = req;
  const cycleId = acquired.cycleId;
  let lost = false;
  const timer = setInterval(() => {
    renewCycle(host.db, cycleId).then(
      (held) => (lost ||= !held),
      () => undefined,
    );
  }, host.heartbeatMs ?? HEARTBEAT_MS);
  timer.unref();
  const ended: { report: Parameters<Run['assess']>[0] | null } = { report: null };
  const run: Run = {
    applicationId,
    cycleId,
    lost: () => lost,
    finish: (status, extra) => finishCycle(host.db, cycleId, status, extra),
    assess: (report) => void (ended.report = report),
  };
  try {
    if (req.full) await markState(host.db, applicationId, 'running');
    return { ok: true, value: await step(run) };
  } catch (e) {
    const error = storedError(e, host.log, { applicationId, cycleId, ...req.logContext }, req.what);
    await finishCycle(host.db, cycleId, 'failed', { error }).catch(() => undefined);
    await escrowFailedRun(host.db, cycleId, error).catch(() => undefined);
    throw e;
  } finally {
    clearInterval(timer);
    if (req.full) await markState(host.db, applicationId, 'idle').catch(() => undefined);
    const report = ended.report;
    if (report) await recordRunHealth(host.db, host.queue, applicationId, { cycleId, kind: req.kind, ...report }).catch((e: unknown) => host.log?.error({ err: e, applicationId, cycleId }, "recording the run's health failed"));
  }
}

/** Polling period while waiting for another run's lease. */
const WAIT_POLL_MS = 250;

async function takeLease(host: RunHost, req: RunRequest): Promise<{ ok: true; cycleId: string } | { ok: false; heldBy: HeldBy | null }> {
  const until = req.waitMs === undefined ? null : host.now() + req.waitMs;
  for (;;) {
    const lease = await acquireCycle(host.db, req.applicationId, req.kind, { scope: req.scope ?? {}, queue: host.queue, ...(req.lane ? { lane: req.lane } : {}) });
    if (lease.ok || until === null) return lease;
    if (host.now() >= until) {
      throw new AppError('conflict', `A provisioning ${lease.heldBy?.kind ?? ''} run of this application is in progress and still was after ${Math.round((req.waitMs ?? 0) / 1000)} s; try again when it finishes (it reconciles this user too).`, {
        details: { heldBy: lease.heldBy },
      });
    }
    await host.sleep(WAIT_POLL_MS);
  }
}

/** `idle` → `running` → `idle`, never over a state set by an admin or the health rules (off, paused, quarantined). */
async function markState(db: Db, applicationId: string, state: 'running' | 'idle'): Promise<void> {
  await db
    .update(provisioningConfigs)
    .set({ state })
    .where(sql`${provisioningConfigs.applicationId} = ${applicationId} and ${provisioningConfigs.state} = ${state === 'running' ? 'idle' : 'running'}`);
}
