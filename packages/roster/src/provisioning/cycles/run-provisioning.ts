/**
 * One run of the engine for one application: a full cycle (initial, periodic, on demand: reads
 * the whole target for matching and drift repair) or an incremental batch (only the given users).
 * Desired state → plan → apply, under the application's lease.
 */
import { eq, sql } from 'drizzle-orm';
import type { Connection, ConnectorError, TargetField, TargetUser } from '../../connectors/contract.ts';
import type { Db } from '../../db/database.ts';
import { provisioningConfigs } from '../../db/provisioning-schema.ts';
import { loadAttributeDefinitions } from '../../directory/attributes/attributes.ts';
import { isAppError } from '../../errors/app-error.ts';
import type { Result } from '../../errors/result.ts';
import { applyPlan } from '../apply/apply-plan.ts';
import { escrowUsers } from '../apply/retries.ts';
import { stopApplication } from '../apply/stop-application.ts';
import { type ProvisioningConfig, loadProvisioningConfig } from '../config/load-config.ts';
import { loadDesiredState } from '../desired/load-desired.ts';
import { readUserLinks } from '../links/user-links.ts';
import { compileMappings } from '../mapping/compile-mappings.ts';
import { sourceAttributes } from '../mapping/source-attributes.ts';
import { planUsers } from '../plan/plan.ts';
import { HEARTBEAT_MS, type LeaseKind, acquireCycle, finishCycle, renewCycle, setCycleTotal } from './cycle-lease.ts';

export interface EngineEnv {
  db: Db;
  /** Opens the application's connection (production: provisioning/connection/open-connection.ts). */
  connect(applicationId: string): Promise<Result<{ connection: Connection }, { code: string; message: string; advice?: string }>>;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** Lease renewal period (default HEARTBEAT_MS). */
  heartbeatMs?: number;
  log?: { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

export type RunOutcome =
  | { status: 'done'; cycleId: string; stopped: boolean }
  /** Switched off, stopped, or deleted: nothing to do. */
  | { status: 'off'; stopped: boolean }
  /** Another worker holds the application's lease. */
  | { status: 'busy'; heldBy: { cycleId: string; kind: string } | null };

export async function runProvisioning(env: EngineEnv, applicationId: string, kind: LeaseKind, userIds?: readonly string[]): Promise<RunOutcome> {
  const config = await loadConfigOrNull(env.db, applicationId);
  if (!config || !config.enabled || config.state === 'stopped' || config.state === 'off') return { status: 'off', stopped: config?.enabled === true && config.state === 'stopped' };
  const lease = await acquireCycle(env.db, applicationId, kind);
  if (!lease.ok) return { status: 'busy', heldBy: lease.heldBy };
  const cycleId = lease.cycleId;
  let lost = false;
  const timer = setInterval(() => {
    renewCycle(env.db, cycleId).then(
      (held) => (lost ||= !held),
      () => undefined,
    );
  }, env.heartbeatMs ?? HEARTBEAT_MS);
  timer.unref();
  const full = kind !== 'incremental';
  try {
    if (full) await markState(env.db, applicationId, 'running');
    const stop = async (error: ConnectorError) => {
      await env.db.transaction(async (tx) => {
        await stopApplication(tx, applicationId, error);
        // The batch's users wait in escrow, due at once, so the change is applied once provisioning runs again.
        if (userIds?.length) await escrowUsers(tx, applicationId, userIds.map((directoryId) => ({ directoryId, error })), { immediate: true });
      });
      await finishCycle(env.db, cycleId, 'failed', { error: { code: error.code, message: error.message, advice: error.advice } });
      return { status: 'done', cycleId, stopped: true } as const;
    };
    const opened = await env.connect(applicationId);
    if (!opened.ok) return await stop(asConfigurationError(opened.error));
    const connection = opened.value.connection;
    const caps = await connection.capabilities();
    if (!caps.ok) return await stop(caps.error);
    const catalogue = config.stored.catalogue;
    const fields = catalogue && !full ? { ok: true as const, value: catalogue.fields } : await connection.fields();
    if (!fields.ok) return await stop(fields.error);
    const roles = catalogue && !full ? { ok: true as const, value: catalogue.roles } : await connection.roles();
    if (!roles.ok) return await stop(roles.error);

    const prepared = await prepare(env.db, config, fields.value);
    if (!prepared.ok) return await stop(prepared.error);
    const snapshot = full ? await readTarget(connection) : undefined;
    if (snapshot && !snapshot.ok) return await stop(snapshot.error);

    const desired = await loadDesiredState(env.db, applicationId, config.settings, prepared.value, { userIds });
    const links = await readUserLinks(env.db, applicationId, userIds);
    const plan = planUsers({
      desired: desired.desired,
      skipped: desired.skipped,
      links,
      snapshot: snapshot?.value,
      settings: config.settings,
      capabilities: caps.value,
      roles: roles.value,
      fields: fields.value,
    });
    await setCycleTotal(env.db, cycleId, plan.actions.length);
    const applied = await applyPlan({ db: env.db, applicationId, cycleId, connection, capabilities: caps.value, sleep: env.sleep, now: env.now, abandoned: () => lost }, plan);
    if (lost) env.log?.error({ applicationId, cycleId }, 'provisioning lease was lost while applying');
    await finishCycle(env.db, cycleId, applied.stopped ? 'failed' : 'completed', {
      unchanged: plan.unchanged,
      error: applied.stopped ? { code: applied.stopped.code, message: applied.stopped.message, advice: applied.stopped.advice } : null,
    });
    if (full && !applied.stopped) await finishFullCycle(env.db, applicationId, config.settings.cycleIntervalMinutes);
    return { status: 'done', cycleId, stopped: applied.stopped !== null };
  } catch (e) {
    await finishCycle(env.db, cycleId, 'failed', { error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } }).catch(() => undefined);
    throw e;
  } finally {
    clearInterval(timer);
    if (full) await markState(env.db, applicationId, 'idle').catch(() => undefined);
  }
}

async function loadConfigOrNull(db: Db, applicationId: string): Promise<ProvisioningConfig | null> {
  try {
    return await loadProvisioningConfig(db, applicationId);
  } catch (e) {
    if (isAppError(e) && e.code === 'not_found') return null;
    throw e;
  }
}

const asConfigurationError = (e: { code: string; message: string; advice?: string }): ConnectorError => ({
  code: e.code,
  class: 'configuration',
  message: e.message,
  advice: e.advice ?? 'Check the connection on the Provisioning tab, test it, then switch provisioning on again.',
});

async function prepare(db: Db, config: ProvisioningConfig, fields: TargetField[]) {
  const definitions = [...(await loadAttributeDefinitions(db)).values()];
  const compiled = compileMappings(config.settings.mappings, config.settings.matching, fields, sourceAttributes(definitions));
  if (!compiled.ok) {
    const reason = compiled.error.map((i) => `${i.path}: ${i.reason}`).join('; ');
    return { ok: false as const, error: asConfigurationError({ code: 'mapping_invalid', message: `The saved mappings no longer compile: ${reason}`, advice: 'Fix the mappings on the Provisioning tab.' }) };
  }
  const onCreate = new Set(config.settings.mappings.filter((m) => m.apply === 'on_create').map((m) => m.target));
  return { ok: true as const, value: { compiled: compiled.value, onCreate } };
}

/** Every user of the target, read once per full cycle (for matching and drift repair). */
async function readTarget(connection: Connection): Promise<Result<TargetUser[], ConnectorError>> {
  const out: TargetUser[] = [];
  for await (const page of connection.users.list({ pageSize: 100 })) {
    if (!page.ok) return page;
    out.push(...page.value);
  }
  return { ok: true, value: out };
}

/** `running` / `idle`, only over a state the engine owns (never over off, stopped or paused). */
async function markState(db: Db, applicationId: string, state: 'running' | 'idle'): Promise<void> {
  await db
    .update(provisioningConfigs)
    .set({ state })
    .where(sql`${provisioningConfigs.applicationId} = ${applicationId} and ${provisioningConfigs.state} in ('idle', 'running', 'quarantined')`);
}

async function finishFullCycle(db: Db, applicationId: string, intervalMinutes: number): Promise<void> {
  await db
    .update(provisioningConfigs)
    .set({ lastCycleAt: sql`now()`, nextCycleAt: sql`now() + make_interval(mins => ${intervalMinutes})` })
    .where(eq(provisioningConfigs.applicationId, applicationId));
}

