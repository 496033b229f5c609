/** What every route module receives: the database, the queue and the configuration. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import type { Config } from '../config/config.ts';
import type { Database, Db } from '../db/database.ts';
import type { Queue } from '../jobs/queue.ts';

export interface AppContext {
  database: Database;
  db: Db;
  /** Absent when the process runs without a queue (e.g. some tests). */
  queue: Queue | undefined;
  config: Config;
  /** The 32-byte key that encrypts connection secrets at rest (db/crypto.ts). */
  secretKey: Buffer;
  metrics: Registry;
}

export type ApiApp = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  ZodTypeProvider
>;

/** A route module: registers its routes on the app. */
export type RouteModule = (app: ApiApp, ctx: AppContext) => void;
