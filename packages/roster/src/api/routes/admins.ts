/**
 * Admin accounts (permission manage_admins): list, create, read, change, delete, reset password,
 * ownership, their tokens; and the list of permissions (any signed-in admin). Acting on another
 * admin, or on their tokens, also needs every permission they hold (admins/admin-rules.ts).
 */
import { z } from 'zod';
import { createAdmin, createAdminSchema } from '../../admins/admin-create.ts';
import { deleteAdmin } from '../../admins/admin-delete.ts';
import { auditingRefusals } from '../../admins/admin-refusals.ts';
import { assertMayActOn } from '../../admins/admin-rules.ts';
import { resetPassword, resetPasswordSchema } from '../../admins/admin-passwords.ts';
import { getAdminRow, listAdminRows } from '../../admins/admin-read.ts';
import { transferOwnership, updateAdmin, updateAdminSchema } from '../../admins/admin-update.ts';
import { adminViewSchema, toAdminView } from '../../admins/admin-view.ts';
import { listTokens, revokeToken, tokenViewSchema } from '../../admins/api-tokens.ts';
import { permissionDescriptions, permissionNames, permissionSchema } from '../../admins/permissions.ts';
import { principalOf, requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';
import { expectedVersion, requiredVersion, setEtag } from '../if-match.ts';
import { decodeCursor, encodeCursor, pageQuerySchema, pageSchema } from '../pagination.ts';

const idParams = z.strictObject({ id: z.uuid('must be an admin id') });
const tokenParams = z.strictObject({ id: z.uuid('must be an admin id'), tokenId: z.uuid('must be a token id') });
const withPassword = z.object({ admin: adminViewSchema, oneTimePassword: z.string().optional() });
const afterReset = withPassword.extend({
  sessionsEnded: z.number().int().describe('Sessions of the admin that were ended'),
  tokensRevoked: z.number().int().describe('API tokens of the admin that were revoked'),
});
const afterUpdate = adminViewSchema.extend({
  sessionsEnded: z.number().int().optional().describe('Present when the change disabled the admin: sessions ended'),
  tokensRevoked: z.number().int().optional().describe('Present when the change disabled the admin: API tokens revoked'),
});

export const adminRoutes: RouteModule = (app, ctx) => {
  const manage = requirePermission('manage_admins');
  const tags = ['admins'];

  app.get(
    '/api/permissions',
    {
      schema: { tags, summary: 'Every admin permission and what it allows', response: { 200: z.object({ items: z.array(z.object({ name: permissionSchema, description: z.string() })) }) } },
      onRequest: requirePermission(),
    },
    async () => ({ items: permissionNames.map((name) => ({ name, description: permissionDescriptions[name] })) }),
  );

  app.get(
    '/api/admins',
    { schema: { tags, summary: 'List admins, by email', querystring: pageQuerySchema, response: { 200: pageSchema(adminViewSchema) } }, onRequest: manage },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = cursor ? (decodeCursor(cursor, 2) as [string, string]) : undefined;
      const rows = await listAdminRows(ctx.db, limit + 1, after);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { items: page.map(toAdminView), nextCursor: rows.length > limit && last ? encodeCursor([last.email.toLowerCase(), last.id]) : null };
    },
  );

  app.post(
    '/api/admins',
    { schema: { tags, summary: 'Create an admin; without a password a one-time password is returned once', body: createAdminSchema, response: { 201: withPassword } }, onRequest: manage },
    async (request, reply) => {
      const result = await createAdmin(ctx.db, principalOf(request), request.body, request.id);
      setEtag(reply.status(201), result.admin.version);
      return result;
    },
  );

  app.get(
    '/api/admins/:id',
    { schema: { tags, summary: 'One admin', params: idParams, response: { 200: adminViewSchema } }, onRequest: manage },
    async (request, reply) => {
      const admin = toAdminView(await getAdminRow(ctx.db, request.params.id));
      setEtag(reply, admin.version);
      return admin;
    },
  );

  app.patch(
    '/api/admins/:id',
    {
      schema: { tags, summary: 'Change an admin (If-Match or body version required); disabling ends their sessions and revokes their tokens', params: idParams, body: updateAdminSchema, response: { 200: afterUpdate } },
      onRequest: manage,
    },
    async (request, reply) => {
      const { version, ...patch } = request.body;
      const { admin, disabled } = await updateAdmin(ctx.db, principalOf(request), request.params.id, patch, requiredVersion(request, version), request.id);
      setEtag(reply, admin.version);
      return { ...admin, ...disabled };
    },
  );

  app.delete(
    '/api/admins/:id',
    { schema: { tags, summary: 'Delete an admin (If-Match optional)', params: idParams }, onRequest: manage },
    async (request, reply) => {
      await deleteAdmin(ctx.db, principalOf(request), request.params.id, expectedVersion(request), request.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/admins/:id/password',
    {
      schema: { tags, summary: "Reset another admin's password: ends their sessions, revokes their API tokens; they must change it at next sign-in", params: idParams, body: resetPasswordSchema, response: { 200: afterReset } },
      onRequest: manage,
    },
    async (request, reply) => {
      const result = await resetPassword(ctx.db, principalOf(request), request.params.id, request.body.password, request.id);
      setEtag(reply, result.admin.version);
      return result;
    },
  );

  app.post(
    '/api/admins/:id/transfer-ownership',
    { schema: { tags, summary: 'Make this admin an owner and yourself an admin with every permission', params: idParams, response: { 200: z.object({ from: adminViewSchema, to: adminViewSchema }) } }, onRequest: manage },
    async (request) => transferOwnership(ctx.db, principalOf(request), request.params.id, request.id),
  );

  /** The target must exist, and the caller must hold every permission they hold. */
  const mayActOn = async (request: Parameters<typeof principalOf>[0], id: string, action: string, what: string): Promise<void> => {
    const actor = principalOf(request);
    const target = await getAdminRow(ctx.db, id);
    await auditingRefusals(ctx.db, actor, { action, targetId: id }, request.id, async () => assertMayActOn(actor, target, what));
  };

  app.get(
    '/api/admins/:id/tokens',
    { schema: { tags, summary: "An admin's API tokens (if you hold every permission they hold)", params: idParams, response: { 200: z.object({ items: z.array(tokenViewSchema) }) } }, onRequest: manage },
    async (request) => {
      await mayActOn(request, request.params.id, 'admin.token.list', "see the API tokens of");
      return { items: await listTokens(ctx.db, request.params.id) };
    },
  );

  app.delete(
    '/api/admins/:id/tokens/:tokenId',
    { schema: { tags, summary: "Revoke an admin's API token (if you hold every permission they hold)", params: tokenParams, response: { 200: tokenViewSchema } }, onRequest: manage },
    async (request) => {
      await mayActOn(request, request.params.id, 'admin.token.revoke', 'revoke the API tokens of');
      return revokeToken(ctx.db, principalOf(request), request.params.id, request.params.tokenId, request.id);
    },
  );
};
