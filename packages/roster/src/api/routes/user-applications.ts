/**
 * `GET /api/users/{id}/applications`: the user page's Applications panel — per application, assigned
 * or not (and through which group), role by name, linked account, last provisioning event and a
 * pending retry. Needs view_apps (it shows application state); provisioning/status/user-applications.ts.
 */
import { z } from 'zod';
import { readUserApplications, userApplicationSchema } from '../../provisioning/status/user-applications.ts';
import { requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';

export const userApplicationRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/users/:id/applications',
    {
      onRequest: requirePermission('view_apps'),
      schema: {
        tags: ['users'],
        summary: "The user's state in each application: assignment, role, linked account, last event, pending retry",
        params: z.object({ id: z.uuid() }),
        response: { 200: z.object({ items: z.array(userApplicationSchema) }) },
      },
    },
    async (request) => ({ items: await readUserApplications(ctx.db, request.params.id) }),
  );
};
