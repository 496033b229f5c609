/** Custom attribute definitions: GET/POST /api/attributes, PATCH/DELETE /api/attributes/{id}. Writes need manage_users. */
import { z } from 'zod';
import { createAttributeSchema, attributeViewSchema, updateAttributeSchema } from '../../directory/attributes/attribute-schema.ts';
import { createAttribute, deleteAttribute, listAttributes, updateAttribute } from '../../directory/attributes/attributes.ts';
import { directoryReaders, principalOf, requireAnyPermission, requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';
import { expectedVersion, requiredVersion, setEtag } from '../if-match.ts';

const idParams = z.strictObject({ id: z.uuid('must be an attribute id') });

export const attributeRoutes: RouteModule = (app, ctx) => {
  const write = requirePermission('manage_users');

  app.get(
    '/api/attributes',
    { onRequest: requireAnyPermission(...directoryReaders), schema: { tags: ['attributes'], summary: 'List custom attributes', response: { 200: z.object({ items: z.array(attributeViewSchema) }) } } },
    async () => ({ items: await listAttributes(ctx.db) }),
  );

  app.post(
    '/api/attributes',
    { onRequest: write, schema: { tags: ['attributes'], summary: 'Define a custom attribute', body: createAttributeSchema, response: { 201: attributeViewSchema } } },
    async (request, reply) => {
      const created = await createAttribute(ctx.db, principalOf(request), request.body, request.id);
      setEtag(reply.status(201), created.version);
      return created;
    },
  );

  app.patch(
    '/api/attributes/:id',
    { onRequest: write, schema: { tags: ['attributes'], summary: 'Change label, enum values or required (If-Match or body.version required)', params: idParams, body: updateAttributeSchema, response: { 200: attributeViewSchema } } },
    async (request, reply) => {
      const updated = await updateAttribute(ctx.db, principalOf(request), request.params.id, request.body, requiredVersion(request, request.body.version), request.id);
      setEtag(reply, updated.version);
      return updated;
    },
  );

  app.delete(
    '/api/attributes/:id',
    { onRequest: write, schema: { tags: ['attributes'], summary: 'Delete a custom attribute and its values', params: idParams } },
    async (request, reply) => {
      await deleteAttribute(ctx.db, principalOf(request), request.params.id, expectedVersion(request), request.id);
      return reply.status(204).send();
    },
  );
};
