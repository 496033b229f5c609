/** Liveness, readiness and Prometheus metrics. */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../errors/app-error.ts';
import type { RouteModule } from '../context.ts';

export const healthRoutes: RouteModule = (app, ctx) => {
  app.get('/healthz', { schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', { schema: { hide: true } }, async () => {
    try {
      await ctx.db.execute(sql`select 1`);
    } catch (e) {
      throw new AppError('unavailable', 'The database does not answer.', { cause: e });
    }
    return { status: 'ready', database: ctx.database.driver, queue: ctx.queue ? 'started' : 'off' };
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const body = await ctx.metrics.metrics();
    return reply.type(ctx.metrics.contentType).send(body);
  });
};
