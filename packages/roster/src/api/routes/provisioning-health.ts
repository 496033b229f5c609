/**
 * Failures of an application's provisioning: escrow (list, retry now), the notifications Roster
 * decided to send (and whether SMTP took them), and restart. Reads need view_logs, writes
 * manage_provisioning.
 */
import { z } from 'zod';
import { invalidField } from '../../errors/app-error.ts';
import { findAppRow } from '../../directory/apps/app-view.ts';
import { configViewSchema, toConfigView } from '../../provisioning/config/config-view.ts';
import { oauthRedirectUrl } from '../../provisioning/connection/oauth-flow.ts';
import { escrowItemSchema, listEscrow, retryEscrowNow } from '../../provisioning/escrow/escrow-list.ts';
import { listNotifications, notificationSchema } from '../../provisioning/health/notification-list.ts';
import { restartProvisioning } from '../../provisioning/health/restart.ts';
import { principalOf, requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';
import { requiredVersion, setEtag } from '../if-match.ts';
import { decodeCursor, encodeCursor, pageQuerySchema, pageSchema } from '../pagination.ts';

const idParams = z.object({ id: z.uuid() });
const tags = ['provisioning'];
const badCursor = () => invalidField('query.cursor', 'is not a cursor returned by this list');

export const provisioningHealthRoutes: RouteModule = (app, ctx) => {
  const read = { onRequest: requirePermission('view_logs') };
  const write = { onRequest: requirePermission('manage_provisioning') };

  app.get(
    '/api/apps/:id/provisioning/escrow',
    { ...read, schema: { tags, summary: 'Objects whose last action failed and wait for a retry (escrow), next attempt first', params: idParams, querystring: z.strictObject(pageQuerySchema.shape), response: { 200: pageSchema(escrowItemSchema) } } },
    async (request) => {
      const { limit, cursor } = request.query;
      await findAppRow(ctx.db, request.params.id);
      let after: { nextAttemptAt: Date; directoryId: string } | undefined;
      if (cursor) {
        const [at, id] = decodeCursor(cursor, 2);
        if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at)) || !z.uuid().safeParse(id).success) throw badCursor();
        after = { nextAttemptAt: new Date(at), directoryId: id };
      }
      const rows = await listEscrow(ctx.db, request.params.id, limit + 1, after);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.nextAttemptAt, last.directoryId]) : null };
    },
  );

  app.post(
    '/api/apps/:id/provisioning/escrow/retry',
    {
      ...write,
      schema: {
        tags,
        summary: 'Retry escrowed users now: all of them, or the given directory ids',
        params: idParams,
        body: z.strictObject({ directoryIds: z.array(z.uuid()).min(1).max(10_000).optional() }).optional(),
        response: { 202: z.object({ queued: z.number().int(), directoryIds: z.array(z.string()) }) },
      },
    },
    async (request, reply) => {
      const ids = await retryEscrowNow(ctx.db, ctx.queue, principalOf(request), request.params.id, request.body?.directoryIds, request.id);
      return reply.status(202).send({ queued: ids.length, directoryIds: ids });
    },
  );

  app.get(
    '/api/apps/:id/provisioning/notifications',
    { ...read, schema: { tags, summary: 'Failure notifications of the application, newest first, with whether the email went out', params: idParams, querystring: z.strictObject(pageQuerySchema.shape), response: { 200: pageSchema(notificationSchema) } } },
    async (request) => {
      const { limit, cursor } = request.query;
      await findAppRow(ctx.db, request.params.id);
      let beforeId: number | undefined;
      if (cursor) {
        const [id] = decodeCursor(cursor, 1);
        if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw badCursor();
        beforeId = id;
      }
      const rows = await listNotifications(ctx.db, request.params.id, limit + 1, beforeId);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null };
    },
  );

  app.post(
    '/api/apps/:id/provisioning/restart',
    {
      ...write,
      schema: {
        tags,
        summary: 'Restart provisioning (If-Match required): cancel the running cycle, clear escrow and quarantine, supersede pending plans, keep or reset links, then run an initial cycle',
        params: idParams,
        body: z.strictObject({ links: z.enum(['keep', 'reset']), version: z.number().int().positive().optional() }),
        response: { 200: configViewSchema.extend({ restart: z.object({ cancelledCycles: z.number(), clearedEscrow: z.number(), supersededPlans: z.number(), deletedLinks: z.number(), cycleRequested: z.boolean() }) }) },
      },
    },
    async (request, reply) => {
      const { config, summary } = await restartProvisioning(ctx.db, ctx.queue, principalOf(request), request.params.id, request.body.links, requiredVersion(request, request.body.version), { requestId: request.id });
      setEtag(reply, config.version);
      return { ...toConfigView(config, oauthRedirectUrl(ctx.config.publicUrl)), restart: summary };
    },
  );
};
