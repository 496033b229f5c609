/** The application gallery: what kinds of application can be added, and what each asks for. */
import { z } from 'zod';
import { gallery } from '../../directory/apps/gallery.ts';
import { requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';

const roleSchema = z.object({ key: z.string(), label: z.string(), description: z.string().optional() });

export const galleryEntrySchema = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  logo: z.string(),
  settings: z.array(z.object({ key: z.string(), label: z.string(), description: z.string(), example: z.string(), pattern: z.string(), required: z.boolean() })),
  roles: z.array(roleSchema),
  /** Roles the connector reads from the account later arrive as `custom:<id>`. */
  customRolePattern: z.string(),
});

export const galleryRoutes: RouteModule = (app) => {
  app.get(
    '/api/gallery',
    { onRequest: requirePermission('view_apps'), schema: { tags: ['applications'], summary: 'List the application types that can be added', response: { 200: z.object({ items: z.array(galleryEntrySchema) }) } } },
    async () => ({
      items: gallery.map((e) => ({
        key: e.key,
        name: e.name,
        description: e.description,
        logo: e.logo,
        settings: [...e.settingFields],
        roles: e.roles.map((r) => ({ ...r })),
        customRolePattern: '^custom:\\d+$',
      })),
    }),
  );
};
