/**
 * Assignments of users and groups to an application, each with an app role. Reading needs
 * view_apps; changing needs assign_apps. A second POST for the same principal is a 409 `duplicate`
 * (details carry the existing assignment); the bulk call upserts.
 */
import { z } from 'zod';
import {
  assignmentSchema,
  bulkAssignResultSchema,
  bulkAssignSchema,
  createAssignmentSchema,
  principalTypeSchema,
  updateAssignmentSchema,
} from '../../directory/apps/assignment-schemas.ts';
import { bulkAssign } from '../../directory/apps/bulk-assign.ts';
import { createAssignment } from '../../directory/apps/create-assignment.ts';
import { listAssignments } from '../../directory/apps/list-assignments.ts';
import { deleteAssignment, updateAssignment } from '../../directory/apps/update-assignment.ts';
import { principalOf, requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';
import { expectedVersion, requiredVersion, setEtag } from '../if-match.ts';
import { encodeCursor, pageQuerySchema, pageSchema } from '../pagination.ts';
import { stringCursor } from './string-cursor.ts';

const appParams = z.object({ id: z.uuid() });
const assignmentParams = z.object({ id: z.uuid(), assignmentId: z.uuid() });
const tags = ['assignments'];

export const assignmentRoutes: RouteModule = (app, ctx) => {
  const read = { onRequest: requirePermission('view_apps') };
  const write = { onRequest: requirePermission('assign_apps') };

  app.get(
    '/api/apps/:id/assignments',
    {
      ...read,
      schema: {
        tags,
        summary: "List an application's assignments by principal name",
        params: appParams,
        querystring: pageQuerySchema.extend({ principalType: principalTypeSchema.optional() }),
        response: { 200: pageSchema(assignmentSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, principalType } = request.query;
      const page = await listAssignments(ctx.db, request.params.id, { limit, principalType, after: cursor ? (stringCursor(cursor, 2) as [string, string]) : undefined });
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.post(
    '/api/apps/:id/assignments',
    { ...write, schema: { tags, summary: 'Assign a user or a group with an app role', params: appParams, body: createAssignmentSchema, response: { 201: assignmentSchema } } },
    async (request, reply) => {
      const created = await createAssignment(ctx.db, principalOf(request), request.params.id, request.body, { requestId: request.id });
      setEtag(reply, created.version);
      return reply.status(201).send(created);
    },
  );

  app.post(
    '/api/apps/:id/assignments/bulk',
    { ...write, schema: { tags, summary: 'Assign up to 1000 users and groups, all or nothing (upsert)', params: appParams, body: bulkAssignSchema, response: { 200: bulkAssignResultSchema } } },
    async (request) => bulkAssign(ctx.db, principalOf(request), request.params.id, request.body.assignments, { requestId: request.id }),
  );

  app.patch(
    '/api/apps/:id/assignments/:assignmentId',
    { ...write, schema: { tags, summary: "Change an assignment's role (If-Match or version required)", params: assignmentParams, body: updateAssignmentSchema, response: { 200: assignmentSchema } } },
    async (request, reply) => {
      const { version, ...change } = request.body;
      const { id, assignmentId } = request.params;
      const updated = await updateAssignment(ctx.db, principalOf(request), id, assignmentId, change, requiredVersion(request, version), { requestId: request.id });
      setEtag(reply, updated.version);
      return updated;
    },
  );

  app.delete(
    '/api/apps/:id/assignments/:assignmentId',
    { ...write, schema: { tags, summary: 'Remove an assignment (If-Match optional)', params: assignmentParams } },
    async (request, reply) => {
      const { id, assignmentId } = request.params;
      await deleteAssignment(ctx.db, principalOf(request), id, assignmentId, expectedVersion(request), { requestId: request.id });
      return reply.status(204).send();
    },
  );
};
