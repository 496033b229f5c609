/** The application gallery: what kinds of application can be added, and what each asks for. */
import { z } from 'zod';
import { connectorFor } from '../../connectors/registry.ts';
import { gallery } from '../../directory/apps/gallery.ts';
import { requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';

const roleSchema = z.object({ key: z.string(), label: z.string(), description: z.string().optional() });

const connectionFieldSchema = z.object({
  key: z.string(),
  label: z.string(),
  type: z.enum(['text', 'secret', 'url', 'email']),
  help: z.string().optional(),
  placeholder: z.string().optional(),
  required: z.boolean(),
});

/** One way to connect an account of this type, with its form (the admin UI renders the form from it). */
export const connectionMethodSchema = z.object({
  method: z.string(),
  label: z.string(),
  help: z.string().optional(),
  notice: z.string().optional(),
  authorizeHelp: z.string().optional(),
  recommended: z.boolean().optional(),
  fields: z.array(connectionFieldSchema),
});

export const galleryEntrySchema = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  logo: z.string(),
  /** The target's documentation of what Roster uses. */
  docsUrl: z.string().optional(),
  settings: z.array(z.object({ key: z.string(), label: z.string(), description: z.string(), example: z.string(), pattern: z.string(), required: z.boolean() })),
  roles: z.array(roleSchema),
  /** Roles the connector reads from the account later arrive as `custom:<id>`. */
  customRolePattern: z.string(),
  /** The ways to connect an account, each with its form. */
  connectionMethods: z.array(connectionMethodSchema),
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
        ...(e.docsUrl ? { docsUrl: e.docsUrl } : {}),
        settings: [...e.settingFields],
        roles: e.roles.map((r) => ({ ...r })),
        // A type without custom roles: a pattern that matches nothing.
        customRolePattern: e.customRolePattern ?? '(?!)',
        connectionMethods: (connectorFor(e.key)?.connectionMethods ?? []).map((m) => ({ ...m, fields: m.fields.map((f) => ({ ...f })) })),
      })),
    }),
  );
};
