/**
 * Import from the target (permission import_users): start a session (a job reads and classifies the
 * account's users), list and read sessions, list their items by category with search and cursor
 * paging, confirm a selection (If-Match; a job applies it in batches), cancel.
 */
import { z } from 'zod';
import { AppError, invalidField } from '../../errors/app-error.ts';
import { ensureQueues } from '../../jobs/queue.ts';
import { confirmableCategories, importCategories } from '../../provisioning/target-import/classify.ts';
import { cancelSession, confirmSession } from '../../provisioning/target-import/confirm-session.ts';
import { importQueue } from '../../provisioning/target-import/import-queue.ts';
import { findSession, listItems, listSessions, startSession } from '../../provisioning/target-import/session-store.ts';
import { itemViewSchema, sessionViewSchema, toItemView, toSessionView } from '../../provisioning/target-import/session-view.ts';
import { storableText } from '../../provisioning/config/settings-schema.ts';
import { principalOf, requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';
import { expectedVersion, requiredVersion, setEtag } from '../if-match.ts';
import { decodeCursor, encodeCursor, pageQuerySchema, pageSchema } from '../pagination.ts';

const tags = ['import from the target'];
const appParams = z.object({ id: z.uuid() });
const sessionParams = appParams.extend({ sessionId: z.uuid() });
const base = '/api/apps/:id/provisioning/import-sessions';
const badCursor = () => invalidField('query.cursor', 'is not a cursor returned by this list');

const itemsQuery = z.strictObject({
  ...pageQuerySchema.shape,
  category: z.enum(importCategories).optional(),
  applyStatus: z.enum(['pending', 'applied', 'failed', 'none']).optional(),
  search: storableText(1, 200).optional(),
});

const confirmBody = z.strictObject({
  categories: z.array(z.enum(confirmableCategories)).min(1).max(4).optional(),
  targetIds: z.array(storableText(1, 40)).min(1).max(10_000).optional(),
  sourceProfile: z.enum(['target', 'directory']).optional(),
});

export const provisioningImportRoutes: RouteModule = (app, ctx) => {
  const guard = { onRequest: requirePermission('import_users') };
  const queueOrFail = async () => {
    if (!ctx.queue) throw new AppError('unavailable', 'This process runs without a job queue, so it cannot import.');
    await ensureQueues(ctx.queue, [importQueue]);
    return ctx.queue;
  };

  app.post(
    base,
    { ...guard, schema: { tags, summary: "Start an import session: a job reads and classifies every user of the target account", params: appParams, response: { 202: sessionViewSchema } } },
    async (request, reply) => {
      const queue = await queueOrFail();
      const row = await startSession(ctx.db, queue, principalOf(request), request.params.id, request.id);
      setEtag(reply, row.version);
      return reply.status(202).send(toSessionView(row));
    },
  );

  app.get(
    base,
    { ...guard, schema: { tags, summary: 'Import sessions of the application, newest first', params: appParams, querystring: z.strictObject(pageQuerySchema.shape), response: { 200: pageSchema(sessionViewSchema) } } },
    async (request) => {
      const { limit, cursor } = request.query;
      let before: { createdAt: Date; id: string } | undefined;
      if (cursor) {
        const [at, id] = decodeCursor(cursor, 2);
        if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at)) || !z.uuid().safeParse(id).success) throw badCursor();
        before = { createdAt: new Date(at), id };
      }
      const rows = await listSessions(ctx.db, request.params.id, limit + 1, before);
      const items = rows.slice(0, limit).map(toSessionView);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt, last.id]) : null };
    },
  );

  app.get(
    `${base}/:sessionId`,
    { ...guard, schema: { tags, summary: 'One session: status, progress, counts per category', params: sessionParams, response: { 200: sessionViewSchema } } },
    async (request, reply) => {
      const row = await findSession(ctx.db, request.params.id, request.params.sessionId);
      setEtag(reply, row.version);
      return toSessionView(row);
    },
  );

  app.get(
    `${base}/:sessionId/items`,
    { ...guard, schema: { tags, summary: 'Items by email or name: category, differences or conflict reason, apply status', params: sessionParams, querystring: itemsQuery, response: { 200: pageSchema(itemViewSchema) } } },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      await findSession(ctx.db, request.params.id, request.params.sessionId);
      let after: { identity: string; targetId: string } | undefined;
      if (cursor) {
        const [identity, targetId] = decodeCursor(cursor, 2);
        if (typeof identity !== 'string' || typeof targetId !== 'string') throw badCursor();
        after = { identity, targetId };
      }
      const rows = await listItems(ctx.db, request.params.sessionId, filter, limit + 1, after);
      const items = rows.slice(0, limit).map(toItemView);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.identity, last.targetId]) : null };
    },
  );

  app.post(
    `${base}/:sessionId/confirm`,
    {
      ...guard,
      schema: { tags, summary: 'Confirm a selection (If-Match): a job applies it in batches; items already confirmed are never applied twice', params: sessionParams, body: confirmBody, response: { 202: sessionViewSchema.extend({ selected: z.number() }) } },
    },
    async (request, reply) => {
      const queue = await queueOrFail();
      const { session, selected } = await confirmSession(ctx.db, queue, principalOf(request), request.params.id, request.params.sessionId, request.body, requiredVersion(request), request.id);
      setEtag(reply, session.version);
      return reply.status(202).send({ ...toSessionView(session), selected });
    },
  );

  app.post(
    `${base}/:sessionId/cancel`,
    { ...guard, schema: { tags, summary: 'Cancel: a read stops, an apply stops after its current batch; confirmed items not yet applied are dropped', params: sessionParams, response: { 200: sessionViewSchema } } },
    async (request, reply) => {
      const row = await cancelSession(ctx.db, principalOf(request), request.params.id, request.params.sessionId, expectedVersion(request), request.id);
      setEtag(reply, row.version);
      return toSessionView(row);
    },
  );
};
