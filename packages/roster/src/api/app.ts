/**
 * Builds the HTTP API (without listening), so tests drive it in-process with `inject` and `serve`
 * decides where it listens.
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import type { Queue } from '../jobs/queue.ts';
import { registerAuth } from './auth.ts';
import type { ApiApp, AppContext } from './context.ts';
import { registerErrorHandling } from './error-handler.ts';
import { loggerOptions, requestLogLevel } from './logger.ts';
import { registerMetricsGate } from './metrics-gate.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { routeModules } from './routes/index.ts';

export interface BuildAppOptions {
  database: Database;
  config: Config;
  queue?: Queue | undefined;
  /** A pino logger to share with the rest of the process; default: one made from config.logLevel. */
  logger?: FastifyBaseLogger;
}

/** Largest JSON body accepted (CSV uploads stream and have their own limit). */
export const JSON_BODY_LIMIT = 1024 * 1024;

export async function buildApp(opts: BuildAppOptions): Promise<{ app: ApiApp; ctx: AppContext }> {
  const fastify = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: loggerOptions(opts.config.logLevel) }),
    bodyLimit: JSON_BODY_LIMIT,
    // Fastify accepts a hop count too (docs: Reference/Server#trustproxy); its types omit number.
    trustProxy: opts.config.trustProxy as boolean | string[],
    genReqId: () => crypto.randomUUID(),
    // One line per request, written in onResponse below (fastify's default is two).
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: 'x-request-id',
    ajv: { customOptions: { removeAdditional: false } },
  });
  const app = fastify.withTypeProvider<ZodTypeProvider>() as unknown as ApiApp;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const duration = new Histogram({
    name: 'roster_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe({ method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    const level = requestLogLevel(request.method, request.url, reply.statusCode);
    request.log[level]({ req: request, res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime }, 'request completed');
  });
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  // `serve` always fills config.secretKey (ROSTER_SECRET_KEY or the key file); a caller without one
  // (benches, tests that store no secrets) gets a throwaway key, and a warning says so.
  const secretKey = opts.config.secretKey ?? randomBytes(32);
  if (!opts.config.secretKey) app.log.warn('no secret key configured: connection secrets stored by this process cannot be read after it stops');
  const ctx: AppContext = { database: opts.database, db: opts.database.db, queue: opts.queue, config: opts.config, secretKey, metrics };

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Roster API', version: '0.1.0', description: 'Identity directory and provisioning engine. Errors: see docs/errors.md.' },
      components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'roster_session' } } },
      security: [{ token: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerErrorHandling(app as never);
  registerSecurityHeaders(app as never);
  // Before authentication: a metrics token is not an API token.
  registerMetricsGate(app as never, opts.config.metricsToken);
  registerAuth(app as never, ctx.db);
  for (const register of routeModules) register(app, ctx);
  await app.ready();
  return { app, ctx };
}
