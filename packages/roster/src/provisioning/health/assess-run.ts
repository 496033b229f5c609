/**
 * The health rules of an application, as a pure function of one finished run and the memory kept in
 * `provisioning_configs.health`: when a run puts the application in quarantine, when a full cycle
 * lifts it, how far the next cycle moves out, and which notification each change of state sends
 * (once per change). record-run-health.ts applies the verdict to the database.
 *
 * Quarantine is entered when
 * - a configuration-class error ends a run (credentials refused or expired, lost admin rights,
 *   mappings that no longer compile): at once, since every further call would fail the same way;
 * - at least {@link RATE_MIN_ATTEMPTS} actions were attempted in one run and at least half failed;
 * - {@link FAILED_RUNS_LIMIT} runs in a row failed entirely for reasons outside the objects
 *   (the target down, 5xx / 503 answers after retries, timeouts).
 * While quarantined, full cycles run at max(interval, 1 h), doubling after each failed one up to
 * 24 h; escrowed users wait for those cycles. The next full cycle that succeeds lifts it.
 */
import { z } from 'zod';
import type { ConnectorError } from '../../connectors/contract.ts';

export const RATE_MIN_ATTEMPTS = 10;
export const RATE_LIMIT = 0.5;
export const FAILED_RUNS_LIMIT = 3;
export const QUARANTINE_MAX_MINUTES = 24 * 60;

export const healthSchema = z.object({
  /** Runs in a row in which every call failed for reasons outside the objects. */
  failedRuns: z.number().int().min(0).default(0),
  quarantinedAt: z.iso.datetime().nullable().default(null),
  /** `configuration` | `failure_rate` | `failed_runs` */
  cause: z.string().nullable().default(null),
  /** Full cycles failed since quarantine began: the next one waits max(interval, 1 h) × 2^n. */
  quarantineCycles: z.number().int().min(0).default(0),
  /** The last state the admin was told about, so each change notifies once. */
  notified: z.enum(['quarantined', 'healthy']).default('healthy'),
  /** The quarantine's reason, kept while a pause hides it (resume restores it). */
  reason: z.record(z.string(), z.unknown()).nullable().default(null),
  lastRun: z
    .object({ at: z.string(), kind: z.string(), attempted: z.number(), failed: z.number(), fatal: z.string().nullable() })
    .nullable()
    .default(null),
});
export type Health = z.infer<typeof healthSchema>;

/** The health memory of a row; an unreadable one starts afresh (it is the engine's cache, not input). */
export function readHealth(raw: unknown): Health {
  const parsed = healthSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : healthSchema.parse({});
}

export interface RunFacts {
  /** `initial` | `periodic` | `on_demand` (full) or `incremental`. */
  kind: string;
  /** Actions sent to the target (everything but skipped and unchanged). */
  attempted: number;
  failed: number;
  /** Failures of class transient, rate_limited or configuration (not the object's fault). */
  systemicFailures: number;
  /** The error that ended the run before or during apply, if one did. */
  fatal: Pick<ConnectorError, 'code' | 'class' | 'message' | 'advice'> | null;
}

export type NoticeKind = 'quarantined' | 'quarantine_lifted' | 'credentials_expired' | 'cycle_failed';

export interface Verdict {
  health: Health;
  /** The state to write, when it changes. */
  state?: 'quarantined' | 'idle';
  /** The reason to write with it (null clears it). */
  stateReason?: Record<string, unknown> | null;
  /** Minutes from now to the next full cycle, when the quarantine moves it. */
  nextCycleInMinutes?: number;
  notice?: { kind: NoticeKind; facts: NoticeFacts };
}

export interface NoticeFacts {
  kind: string;
  attempted: number;
  failed: number;
  failedRuns: number;
  cause: string | null;
  error: { code: string; message: string; advice: string } | null;
  nextCycleInMinutes: number | null;
  quarantinedAt: string | null;
}

const CREDENTIAL_CODE = /unauthori[sz]ed|forbidden|credential|token|not_connected|oauth|refresh/i;
export const isCredentialError = (e: { code: string; class: string }): boolean => e.class === 'configuration' && CREDENTIAL_CODE.test(e.code);

export const quarantineDelayMinutes = (intervalMinutes: number, failedCycles: number): number =>
  Math.min(QUARANTINE_MAX_MINUTES, Math.max(intervalMinutes, 60) * 2 ** Math.min(failedCycles, 16));

/**
 * What one run means for an application in `state` (`idle`, `running` or `quarantined`; the caller
 * leaves paused and switched-off applications alone).
 */
export function assessRun(run: RunFacts, state: string, before: Health, intervalMinutes: number, now: Date): Verdict {
  const full = run.kind !== 'incremental';
  const at = now.toISOString();
  const fatalSystemic = run.fatal !== null && run.fatal.class !== 'object';
  const everyCallFailed = fatalSystemic || (run.attempted > 0 && run.failed === run.attempted && run.systemicFailures === run.failed);
  const someSucceeded = !run.fatal && run.attempted > run.failed;
  const rateExceeded = run.attempted >= RATE_MIN_ATTEMPTS && run.failed >= run.attempted * RATE_LIMIT;
  const failedRuns = everyCallFailed ? before.failedRuns + 1 : someSucceeded || (full && !run.fatal) ? 0 : before.failedRuns;
  const health: Health = { ...before, failedRuns, lastRun: { at, kind: run.kind, attempted: run.attempted, failed: run.failed, fatal: run.fatal?.code ?? null } };
  const error = run.fatal ? { code: run.fatal.code, message: run.fatal.message, advice: run.fatal.advice } : null;
  const facts = (extra: Partial<NoticeFacts> = {}): NoticeFacts => ({
    kind: run.kind,
    attempted: run.attempted,
    failed: run.failed,
    failedRuns,
    cause: health.cause,
    error,
    nextCycleInMinutes: null,
    quarantinedAt: health.quarantinedAt,
    ...extra,
  });

  const cause = run.fatal?.class === 'configuration' ? 'configuration' : rateExceeded ? 'failure_rate' : failedRuns >= FAILED_RUNS_LIMIT ? 'failed_runs' : null;
  const healthyFullCycle = full && !run.fatal && !rateExceeded && !everyCallFailed;

  // A configuration error marks the row quarantined the moment it happens (stop-application.ts); the
  // quarantine is entered here, with its memory and notice, once the run ends.
  const inQuarantine = state === 'quarantined' && (before.quarantinedAt !== null || !cause);
  if (inQuarantine) {
    if (healthyFullCycle) {
      const lifted: Health = { ...health, failedRuns: 0, quarantinedAt: null, cause: null, quarantineCycles: 0, reason: null, notified: 'healthy' };
      return {
        health: lifted,
        state: 'idle',
        stateReason: null,
        ...(before.notified === 'quarantined' ? { notice: { kind: 'quarantine_lifted' as const, facts: facts({ cause: before.cause, quarantinedAt: before.quarantinedAt }) } } : {}),
      };
    }
    if (!full) return { health };
    const quarantineCycles = before.quarantineCycles + 1;
    const next = quarantineDelayMinutes(intervalMinutes, quarantineCycles);
    const kept: Health = { ...health, cause: cause ?? before.cause, quarantineCycles };
    const reason = reasonOf(kept, run, error, next, at);
    return { health: { ...kept, reason }, stateReason: reason, nextCycleInMinutes: next };
  }

  if (cause) {
    const next = quarantineDelayMinutes(intervalMinutes, 0);
    const entered: Health = { ...health, cause, quarantinedAt: at, quarantineCycles: 0, notified: 'quarantined' };
    const reason = reasonOf(entered, run, error, next, at);
    const kind = run.fatal && isCredentialError(run.fatal) ? 'credentials_expired' : 'quarantined';
    return {
      health: { ...entered, reason },
      state: 'quarantined',
      stateReason: reason,
      nextCycleInMinutes: next,
      ...(before.notified === 'quarantined' ? {} : { notice: { kind, facts: facts({ cause, quarantinedAt: at, nextCycleInMinutes: next }) } }),
    };
  }
  // Once per streak of failures: the next ones end in quarantine, which has its own email.
  if (full && run.fatal && failedRuns <= 1) return { health, notice: { kind: 'cycle_failed', facts: facts() } };
  return { health };
}

function reasonOf(h: Health, run: RunFacts, error: NoticeFacts['error'], nextCycleInMinutes: number, at: string): Record<string, unknown> {
  const figures = { attempted: run.attempted, failed: run.failed, failedRuns: h.failedRuns, since: h.quarantinedAt, nextCycleInMinutes };
  const hours = nextCycleInMinutes >= 60 ? `${Math.round(nextCycleInMinutes / 6) / 10} h` : `${nextCycleInMinutes} min`;
  switch (h.cause) {
    case 'configuration':
      return {
        code: 'quarantined',
        cause: 'configuration',
        message: `Quarantined: ${error?.message ?? 'the target refused the configuration'} (${error?.code ?? 'configuration'}). Full cycles now run every ${hours}.`,
        advice: `${error?.advice ?? 'Check the connection.'} Then run a cycle now (or restart provisioning); the next successful cycle lifts the quarantine.`,
        error,
        at,
        ...figures,
      };
    case 'failure_rate':
      return {
        code: 'quarantined',
        cause: 'failure_rate',
        message: `Quarantined: ${run.failed} of ${run.attempted} actions failed in the last ${run.kind === 'incremental' ? 'batch' : 'cycle'} (${Math.round((100 * run.failed) / Math.max(1, run.attempted))}%). Full cycles now run every ${hours}.`,
        advice: 'Open the provisioning log filtered on failed events: the same error on many users usually means a mapping or a target setting is wrong. Fix it, then run a cycle now; the next successful cycle lifts the quarantine.',
        error,
        at,
        ...figures,
      };
    default:
      return {
        code: 'quarantined',
        cause: 'failed_runs',
        message: `Quarantined: ${h.failedRuns} runs in a row failed entirely${error ? ` (last: ${error.message})` : ''}. Full cycles now run every ${hours}.`,
        advice: 'The target did not answer or answered with errors: check its status page and the connection. The next successful cycle lifts the quarantine; run one now once the target is back.',
        error,
        at,
        ...figures,
      };
  }
}
