/**
 * Directory users: list/search, create, read, update, activate/deactivate, delete.
 * Reads need any of manage_users, view_apps, assign_apps or import_users (whoever assigns apps or
 * imports must see who exists); writes need manage_users.
 */
import { z } from 'zod';
import { createUser } from '../../directory/users/create-user.ts';
import { getUser } from '../../directory/users/get-user.ts';
import { listUsers, userSorts } from '../../directory/users/list-users.ts';
import { updateUser } from '../../directory/users/update-user.ts';
import { createUserSchema, updateUserSchema, userStatuses, userViewSchema } from '../../directory/users/user-fields.ts';
import { deleteUser, setUserStatus } from '../../directory/users/user-status.ts';
import { plainText } from '../../directory/text.ts';
import { invalidField } from '../../errors/app-error.ts';
import { directoryReaders, principalOf, requireAnyPermission, requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';
import { expectedVersion, requiredVersion, setEtag } from '../if-match.ts';
import { decodeCursor, encodeCursor, pageQuerySchema, pageSchema } from '../pagination.ts';

const idParams = z.strictObject({ id: z.uuid('must be a user id') });
const optionalText = plainText().max(200).optional();

const listQuerySchema = pageQuerySchema
  .extend({
    q: plainText().trim().min(1).max(200).optional(),
    status: z.enum(userStatuses).optional(),
    department: optionalText,
    jobTitle: optionalText,
    organization: optionalText,
    location: optionalText,
    managerId: z.uuid('must be a user id').optional(),
    employeeId: optionalText,
    email: plainText().trim().max(320).optional(),
    sort: z.enum(userSorts).default('displayName'),
    order: z.enum(['asc', 'desc']).default('asc'),
  })
  // `custom.<key>=value` filters; any other unknown key is refused below.
  .catchall(plainText().max(200));

export const userRoutes: RouteModule = (app, ctx) => {
  const read = requireAnyPermission(...directoryReaders);
  const write = requirePermission('manage_users');

  app.get(
    '/api/users',
    { onRequest: read, schema: { tags: ['users'], summary: 'List and search users', querystring: listQuerySchema, response: { 200: pageSchema(userViewSchema) } } },
    async (request) => {
      const { limit, cursor, q, status, department, jobTitle, organization, location, managerId, employeeId, email, sort, order, ...rest } = request.query;
      const custom: Record<string, string> = {};
      for (const [key, value] of Object.entries(rest)) {
        const m = /^custom\.([a-z][a-zA-Z0-9_]{0,62})$/.exec(key);
        if (!m || typeof value !== 'string') throw invalidField(`query.${key}`, 'unknown field');
        custom[m[1] as string] = value;
      }
      const page = await listUsers(ctx.db, {
        limit,
        after: cursor ? decodeCursor(cursor, 4) : undefined,
        q, status, department, jobTitle, organization, location, managerId, employeeId, email, custom, sort, order,
      });
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.post(
    '/api/users',
    { onRequest: write, schema: { tags: ['users'], summary: 'Create a user', body: createUserSchema, response: { 201: userViewSchema } } },
    async (request, reply) => {
      const user = await createUser(ctx.db, principalOf(request), request.body, { requestId: request.id });
      setEtag(reply.status(201), user.version);
      return user;
    },
  );

  app.get(
    '/api/users/:id',
    { onRequest: read, schema: { tags: ['users'], summary: 'Read a user', params: idParams, response: { 200: userViewSchema } } },
    async (request, reply) => {
      const user = await getUser(ctx.db, request.params.id);
      setEtag(reply, user.version);
      return user;
    },
  );

  app.patch(
    '/api/users/:id',
    {
      onRequest: write,
      schema: { tags: ['users'], summary: 'Update some fields of a user (If-Match or body.version required)', params: idParams, body: updateUserSchema, response: { 200: userViewSchema } },
    },
    async (request, reply) => {
      const r = await updateUser(ctx.db, principalOf(request), request.params.id, request.body, requiredVersion(request, request.body.version), { requestId: request.id });
      setEtag(reply, r.user.version);
      return r.user;
    },
  );

  app.delete(
    '/api/users/:id',
    { onRequest: write, schema: { tags: ['users'], summary: 'Delete a user (soft: the email becomes free)', params: idParams } },
    async (request, reply) => {
      await deleteUser(ctx.db, principalOf(request), request.params.id, expectedVersion(request), { requestId: request.id });
      return reply.status(204).send();
    },
  );

  for (const [verb, status] of [['activate', 'active'], ['deactivate', 'inactive']] as const) {
    app.post(
      `/api/users/:id/${verb}`,
      { onRequest: write, schema: { tags: ['users'], summary: `${verb[0]!.toUpperCase()}${verb.slice(1)} a user`, params: idParams, response: { 200: userViewSchema } } },
      async (request, reply) => {
        const r = await setUserStatus(ctx.db, principalOf(request), request.params.id, status, expectedVersion(request), { requestId: request.id });
        setEtag(reply, r.user.version);
        return r.user;
      },
    );
  }
};
