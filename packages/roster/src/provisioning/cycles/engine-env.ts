/** The engine's environment inside a worker: the database and connections opened from stored configuration. */
import type { WorkerContext } from '../../jobs/handlers.ts';
import { openConnection } from '../connection/open-connection.ts';
import type { EngineEnv } from './run-provisioning.ts';

/**
 * `clock.sleep` replaces the real timers for every wait of the engine and of its connections
 * (retry backoff, Retry-After): tests that drive failing targets shorten those waits with it.
 */
export function engineEnvFrom(ctx: WorkerContext, connectorOptions?: Record<string, unknown>, clock?: { sleep(ms: number): Promise<void> }): EngineEnv {
  const db = ctx.database.db;
  const sleep = clock?.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return {
    db,
    async connect(applicationId) {
      const r = await openConnection({ db, secretKey: ctx.secretKey, zendeskUrlTemplate: ctx.config.zendeskUrlTemplate, applicationId, ...(connectorOptions ? { connectorOptions } : {}), ...(clock ? { sleep } : {}) });
      if (r.ok) return { ok: true, value: { connection: r.value.connection } };
      const advice = 'advice' in r.error ? r.error.advice : undefined;
      return { ok: false, error: { code: r.error.code, message: r.error.message, ...(advice ? { advice } : {}) } };
    },
    sleep,
    now: Date.now,
    log: ctx.log,
    queue: ctx.queue,
  };
}
