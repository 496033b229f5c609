/** The caller's own API tokens: list, create (the value is shown once), revoke. */
import { z } from 'zod';
import { createToken, createTokenSchema, listTokens, revokeToken, tokenViewSchema } from '../../admins/api-tokens.ts';
import { AppError } from '../../errors/app-error.ts';
import { principalOf, requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';

const signedIn = requirePermission();

function ownId(request: Parameters<typeof principalOf>[0]): string {
  const id = principalOf(request).adminId;
  if (!id) throw new AppError('forbidden', 'Only an admin account has API tokens.');
  return id;
}

export const tokenRoutes: RouteModule = (app, ctx) => {
  const tags = ['tokens'];

  app.get(
    '/api/tokens',
    { schema: { tags, summary: 'Your API tokens (never their values)', response: { 200: z.object({ items: z.array(tokenViewSchema) }) } }, onRequest: signedIn },
    async (request) => ({ items: await listTokens(ctx.db, ownId(request)) }),
  );

  app.post(
    '/api/tokens',
    {
      schema: { tags, summary: 'Create an API token; `value` is shown only in this answer', body: createTokenSchema, response: { 201: z.object({ token: tokenViewSchema, value: z.string() }) } },
      onRequest: signedIn,
    },
    async (request, reply) => reply.status(201).send(await createToken(ctx.db, principalOf(request), request.body, request.id)),
  );

  app.delete(
    '/api/tokens/:id',
    { schema: { tags, summary: 'Revoke one of your API tokens', params: z.strictObject({ id: z.uuid('must be a token id') }), response: { 200: tokenViewSchema } }, onRequest: signedIn },
    async (request) => revokeToken(ctx.db, principalOf(request), ownId(request), request.params.id, request.id),
  );
};
