/** Custom attribute definitions: GET/POST /api/attributes, PATCH/DELETE /api/attributes/{id}. Writes need manage_users. */
import { z } from 'zod';
import { createAttributeSchema, attributeViewSchema, updateAttributeSchema } from '../../directory/attributes/attribute-schema.ts';
import { createAttribute, deleteAttribute, listAttributes, updateAttribute } from '../../directory/attributes/attributes.ts';
import { requirePermission, principalOf } from '../auth.ts';
import type { RouteModule } from '../context.ts';
import { directoryReaders, expectedVersion, requireAnyPermission, versionFromIfMatch, withEtag } from './users.ts';

const idParams = z.strictObject({ id: z.uuid('must be an attribute id') });

export const attributeRoutes: RouteModule = (app, ctx) => {
  const write = requirePermission('manage_users');

  app.get(
    '/api/attributes',
    { preHandler: requireAnyPermission(...directoryReaders), schema: { tags: ['attributes'], summary: 'List custom attributes', response: { 200: z.object({ items: z.array(attributeViewSchema) }) } } },
    async () => ({ items: await listAttributes(ctx.db) }),
  );

  app.post(
    '/api/attributes',
    { preHandler: write, schema: { tags: ['attributes'], summary: 'Define a custom attribute', body: createAttributeSchema, response: { 201: attributeViewSchema } } },
    async (request, reply) => withEtag(reply.status(201), await createAttribute(ctx.db, principalOf(request), request.body, request.id)),
  );

  app.patch(
    '/api/attributes/:id',
    { preHandler: write, schema: { tags: ['attributes'], summary: 'Change label, enum values or required', params: idParams, body: updateAttributeSchema, response: { 200: attributeViewSchema } } },
    async (request, reply) =>
      withEtag(reply, await updateAttribute(ctx.db, principalOf(request), request.params.id, request.body, expectedVersion(request, request.body.version), request.id)),
  );

  app.delete(
    '/api/attributes/:id',
    { preHandler: write, schema: { tags: ['attributes'], summary: 'Delete a custom attribute and its values', params: idParams } },
    async (request, reply) => {
      await deleteAttribute(ctx.db, principalOf(request), request.params.id, versionFromIfMatch(request), request.id);
      return reply.status(204).send();
    },
  );
};
