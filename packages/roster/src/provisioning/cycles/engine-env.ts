/** The engine's environment inside a worker: the database and connections opened from stored configuration. */
import type { WorkerContext } from '../../jobs/handlers.ts';
import { openConnection } from '../connection/open-connection.ts';
import type { EngineEnv } from './run-provisioning.ts';

export function engineEnvFrom(ctx: WorkerContext, connectorOptions?: Record<string, unknown>): EngineEnv {
  const db = ctx.database.db;
  return {
    db,
    async connect(applicationId) {
      const r = await openConnection({ db, secretKey: ctx.secretKey, zendeskUrlTemplate: ctx.config.zendeskUrlTemplate, applicationId, ...(connectorOptions ? { connectorOptions } : {}) });
      if (r.ok) return { ok: true, value: { connection: r.value.connection } };
      const advice = 'advice' in r.error ? r.error.advice : undefined;
      return { ok: false, error: { code: r.error.code, message: r.error.message, ...(advice ? { advice } : {}) } };
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: Date.now,
    log: ctx.log,
    queue: ctx.queue,
  };
}
