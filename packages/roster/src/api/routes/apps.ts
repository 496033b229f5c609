/**
 * Applications. Reading needs view_apps; adding, changing and deleting an application needs
 * manage_provisioning (an application is a provisioning target, so it sits with the provisioning
 * setup rather than with assigning users to it).
 */
import { z } from 'zod';
import { type Application, applicationSchema, createAppSchema, updateAppSchema } from '../../directory/apps/app-schemas.ts';
import { entryOf } from '../../directory/apps/app-view.ts';
import { createApp } from '../../directory/apps/create-app.ts';
import { deleteApp } from '../../directory/apps/delete-app.ts';
import { gallery, targetUrlOf } from '../../directory/apps/gallery.ts';
import { getApp, listApps } from '../../directory/apps/list-apps.ts';
import { updateApp } from '../../directory/apps/update-app.ts';
import type { Tx } from '../../db/database.ts';
import { handleTargetChange } from '../../provisioning/config/target-change.ts';
import { principalOf, requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';
import { expectedVersion, requiredVersion, setEtag } from '../if-match.ts';
import { encodeCursor, pageQuerySchema, pageSchema } from '../pagination.ts';
import { stringCursor } from './string-cursor.ts';

const idParams = z.object({ id: z.uuid() });
const tags = ['applications'];

export const appRoutes: RouteModule = (app, ctx) => {
  const read = { onRequest: requirePermission('view_apps') };
  const write = { onRequest: requirePermission('manage_provisioning') };
  // The target as this process reaches it: the embedded sandbox under --with-sandbox, not the public address.
  const shown = (a: Application): Application => ({ ...a, targetUrl: targetUrlOf(entryOf(a.type), a.settings, ctx.config.targetUrls) });

  app.get(
    '/api/apps',
    {
      ...read,
      schema: {
        tags,
        summary: 'List applications by display name',
        querystring: pageQuerySchema.extend({ type: z.enum(gallery.map((e) => e.key) as [string, ...string[]]).optional() }),
        response: { 200: pageSchema(applicationSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, type } = request.query;
      const page = await listApps(ctx.db, { limit, type, after: cursor ? (stringCursor(cursor, 2) as [string, string]) : undefined });
      return { items: page.items.map(shown), nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.post('/api/apps', { ...write, schema: { tags, summary: 'Add an application from the gallery', body: createAppSchema, response: { 201: applicationSchema } } }, async (request, reply) => {
    const created = await createApp(ctx.db, principalOf(request), request.body, { requestId: request.id });
    setEtag(reply, created.version);
    return reply.status(201).send(shown(created));
  });

  app.get('/api/apps/:id', { ...read, schema: { tags, summary: 'Read an application', params: idParams, response: { 200: applicationSchema } } }, async (request, reply) => {
    const found = await getApp(ctx.db, request.params.id);
    setEtag(reply, found.version);
    return shown(found);
  });

  app.patch(
    '/api/apps/:id',
    { ...write, schema: { tags, summary: 'Change an application (If-Match or version required); moving a connected one to another account needs disconnect: true', params: idParams, body: updateAppSchema, response: { 200: applicationSchema } } },
    async (request, reply) => {
      const { version, disconnect, ...changes } = request.body;
      const id = request.params.id;
      const onTargetChange = (tx: Tx, field: string) => handleTargetChange(tx, id, disconnect ? 'disconnect' : 'refuse', field);
      const updated = await updateApp(ctx.db, principalOf(request), id, changes, requiredVersion(request, version), { requestId: request.id, onTargetChange });
      setEtag(reply, updated.version);
      return shown(updated);
    },
  );

  app.delete('/api/apps/:id', { ...write, schema: { tags, summary: 'Delete an application (If-Match optional)', params: idParams } }, async (request, reply) => {
    await deleteApp(ctx.db, principalOf(request), request.params.id, expectedVersion(request), { requestId: request.id });
    return reply.status(204).send();
  });
};
