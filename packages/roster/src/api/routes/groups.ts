/**
 * Groups and their members. Reading needs one of the directory readers (manage_users, view_apps,
 * assign_apps or import_users: whoever assigns apps or imports must see groups);
 * changing groups needs manage_users. Member ids that do not exist are 404s naming the field; a
 * membership that would make a group contain itself is a 409 `cycle` naming the field.
 */
import { z } from 'zod';
import { addMembers } from '../../directory/groups/add-members.ts';
import { createGroup } from '../../directory/groups/create-group.ts';
import { deleteGroup } from '../../directory/groups/delete-group.ts';
import { getGroup } from '../../directory/groups/get-group.ts';
import {
  addMembersSchema,
  createGroupSchema,
  groupSchema,
  memberRefSchema,
  memberSchema,
  memberTypeSchema,
  updateGroupSchema,
} from '../../directory/groups/group-schemas.ts';
import { listGroups } from '../../directory/groups/list-groups.ts';
import { type MemberKey, listMembers } from '../../directory/groups/list-members.ts';
import { removeMember } from '../../directory/groups/remove-member.ts';
import { updateGroup } from '../../directory/groups/update-group.ts';
import { plainText } from '../../directory/text.ts';
import { directoryReaders, principalOf, requireAnyPermission, requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';
import { expectedVersion, requiredVersion, setEtag } from '../if-match.ts';
import { encodeCursor, pageQuerySchema, pageSchema } from '../pagination.ts';
import { stringCursor } from './string-cursor.ts';

const idParams = z.object({ id: z.uuid() });
const tags = ['groups'];

export const groupRoutes: RouteModule = (app, ctx) => {
  const read = { onRequest: requireAnyPermission(...directoryReaders) };
  const write = { onRequest: requirePermission('manage_users') };

  app.get(
    '/api/groups',
    {
      ...read,
      schema: {
        tags,
        summary: 'List groups by name',
        querystring: pageQuerySchema.extend({
          q: plainText().max(200).optional().describe('Name prefix, ignoring case'),
          memberUserId: z.uuid().optional().describe('Only groups this user is a direct member of'),
        }),
        response: { 200: pageSchema(groupSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, q, memberUserId } = request.query;
      const page = await listGroups(ctx.db, { limit, q, memberUserId, after: cursor ? (stringCursor(cursor, 2) as [string, string]) : undefined });
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.post('/api/groups', { ...write, schema: { tags, summary: 'Create a group', body: createGroupSchema, response: { 201: groupSchema } } }, async (request, reply) => {
    const group = await createGroup(ctx.db, principalOf(request), request.body, { requestId: request.id });
    setEtag(reply, group.version);
    return reply.status(201).send(group);
  });

  app.get('/api/groups/:id', { ...read, schema: { tags, summary: 'Read a group', params: idParams, response: { 200: groupSchema } } }, async (request, reply) => {
    const group = await getGroup(ctx.db, request.params.id);
    setEtag(reply, group.version);
    return group;
  });

  app.patch(
    '/api/groups/:id',
    { ...write, schema: { tags, summary: 'Change a group (If-Match or version required)', params: idParams, body: updateGroupSchema, response: { 200: groupSchema } } },
    async (request, reply) => {
      const { version, ...changes } = request.body;
      const group = await updateGroup(ctx.db, principalOf(request), request.params.id, changes, requiredVersion(request, version), { requestId: request.id });
      setEtag(reply, group.version);
      return group;
    },
  );

  app.delete('/api/groups/:id', { ...write, schema: { tags, summary: 'Delete a group (If-Match optional)', params: idParams } }, async (request, reply) => {
    await deleteGroup(ctx.db, principalOf(request), request.params.id, expectedVersion(request), { requestId: request.id });
    return reply.status(204).send();
  });

  app.get(
    '/api/groups/:id/members',
    {
      ...read,
      schema: {
        tags,
        summary: 'List direct members, or with transitive=true every user covered through nesting',
        params: idParams,
        querystring: pageQuerySchema.extend({ transitive: z.stringbool().default(false) }),
        response: { 200: pageSchema(memberSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, transitive } = request.query;
      const page = await listMembers(ctx.db, request.params.id, { limit, transitive, after: cursor ? (stringCursor(cursor, 3) as MemberKey) : undefined });
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  const addResult = z.object({ added: z.array(memberRefSchema), alreadyMembers: z.array(memberRefSchema) });

  app.post(
    '/api/groups/:id/members',
    { ...write, schema: { tags, summary: 'Add one member (201 added, 200 already a member)', params: idParams, body: memberRefSchema, response: { 200: addResult, 201: addResult } } },
    async (request, reply) => {
      const result = await addMembers(ctx.db, principalOf(request), request.params.id, [request.body], { requestId: request.id, pathOf: () => 'body.memberId' });
      return reply.status(result.added.length > 0 ? 201 : 200).send(result);
    },
  );

  app.post(
    '/api/groups/:id/members/bulk',
    { ...write, schema: { tags, summary: 'Add up to 1000 members, all or nothing', params: idParams, body: addMembersSchema, response: { 200: addResult } } },
    async (request) => addMembers(ctx.db, principalOf(request), request.params.id, request.body.members, { requestId: request.id }),
  );

  app.delete(
    '/api/groups/:id/members/:memberType/:memberId',
    { ...write, schema: { tags, summary: 'Remove a direct member', params: z.object({ id: z.uuid(), memberType: memberTypeSchema, memberId: z.uuid() }) } },
    async (request, reply) => {
      const { id, memberType, memberId } = request.params;
      await removeMember(ctx.db, principalOf(request), id, { memberType, memberId }, { requestId: request.id });
      return reply.status(204).send();
    },
  );
};
