import { z } from 'zod';
import { fail, problems } from '../http/errors.ts';
import { noContent, ok, type RequestContext, type RouteDef } from '../http/route.ts';
import { isoNow, randomToken } from '../store/ids.ts';
import type { OAuthClientRecord } from '../store/oauth.ts';
import { wrapped } from '../store/user-input.ts';
import { views } from '../views/resource-views.ts';
import { idParam } from '../routes/helpers.ts';

const read = { access: 'read' } as const;
const write = { access: 'write' } as const;

const clientInputSchema = z.looseObject({
  name: z.string().optional(),
  identifier: z.string().optional(),
  kind: z.enum(['public', 'confidential']).optional(),
  redirect_uri: z.union([z.array(z.string()), z.string().transform((s) => [s])]).optional(),
  description: z.string().nullable().optional(),
  company: z.string().nullable().optional(),
});

function clientBody(ctx: RequestContext) {
  const w = wrapped(ctx.body, 'client');
  if (!w.ok) fail(w.problem);
  const parsed = clientInputSchema.safeParse(w.value);
  if (!parsed.success) fail(problems.invalidAttribute(`You passed an invalid value for the client.${parsed.error.issues[0]?.path.join('.') ?? ''} attribute.`));
  return parsed.data;
}

function badRedirects(uris: readonly string[]): string[] {
  return uris.filter((u) => {
    try {
      const url = new URL(u);
      return !(url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)));
    } catch {
      return true;
    }
  });
}

function client(ctx: RequestContext): OAuthClientRecord {
  const c = ctx.account.oauth.clients.get(idParam(ctx, 'id'));
  if (!c) fail(problems.recordNotFound());
  return c;
}

/** OAuth clients API (API-NOTES §7.3), admins only; the secret is shown in full only at creation. */
export const oauthClientRoutes: RouteDef[] = [
  {
    method: 'GET', path: '/api/v2/oauth/clients', access: 'admin', scope: read, controller: 'oauth/clients', action: 'index',
    handler: (ctx) => ok({ clients: [...ctx.account.oauth.clients.values()].map((c) => views.oauthClient(c, ctx.base, false)), next_page: null, previous_page: null, count: ctx.account.oauth.clients.size }),
  },
  {
    method: 'GET', path: '/api/v2/oauth/clients/:id', access: 'admin', scope: read, controller: 'oauth/clients', action: 'show',
    handler: (ctx) => ok({ client: views.oauthClient(client(ctx), ctx.base, false) }),
  },
  {
    method: 'POST', path: '/api/v2/oauth/clients', access: 'admin', scope: write, controller: 'oauth/clients', action: 'create',
    handler: (ctx) => {
      const input = clientBody(ctx);
      const details: Record<string, Array<{ description: string; error: string }>> = {};
      if (!input.name?.trim()) details.name = [{ description: 'Name: cannot be blank', error: 'BlankValue' }];
      if (!input.identifier?.trim()) details.identifier = [{ description: 'Identifier: cannot be blank', error: 'BlankValue' }];
      else if (ctx.account.oauth.clientByIdentifier(input.identifier)) details.identifier = [{ description: 'Identifier: has already been taken', error: 'DuplicateValue' }];
      const bad = badRedirects(input.redirect_uri ?? []);
      if (bad.length > 0) details.redirect_uri = [{ description: `Redirect URI: ${bad.join(', ')} must be absolute https (http only for localhost)`, error: 'InvalidValue' }];
      if (Object.keys(details).length > 0) fail(problems.recordInvalid(details));
      const now = isoNow();
      const c: OAuthClientRecord = {
        id: ctx.account.ids.take(),
        name: (input.name as string).trim(),
        identifier: (input.identifier as string).trim(),
        secret: randomToken(32),
        kind: input.kind ?? 'confidential',
        redirectUris: input.redirect_uri ?? [],
        description: input.description ?? '',
        company: input.company ?? '',
        userId: ctx.caller.kind === 'user' ? ctx.caller.user.id : ctx.account.ownerId,
        createdAt: now,
        updatedAt: now,
      };
      ctx.account.oauth.addClient(c);
      return ok({ client: views.oauthClient(c, ctx.base, true) }, 201, { location: `${ctx.base}/api/v2/oauth/clients/${c.id}.json` });
    },
  },
  {
    method: 'PUT', path: '/api/v2/oauth/clients/:id', access: 'admin', scope: write, controller: 'oauth/clients', action: 'update',
    handler: (ctx) => {
      const c = client(ctx);
      const input = clientBody(ctx);
      if (input.redirect_uri) {
        const bad = badRedirects(input.redirect_uri);
        if (bad.length > 0) fail(problems.recordInvalid({ redirect_uri: [{ description: `Redirect URI: ${bad.join(', ')} is invalid`, error: 'InvalidValue' }] }));
        c.redirectUris = input.redirect_uri;
      }
      if (input.name) c.name = input.name;
      if (input.kind) c.kind = input.kind;
      if (input.description !== undefined) c.description = input.description ?? '';
      if (input.company !== undefined) c.company = input.company ?? '';
      c.updatedAt = isoNow();
      ctx.account.oauth.touchClient(c);
      return ok({ client: views.oauthClient(c, ctx.base, false) });
    },
  },
  {
    method: 'PUT', path: '/api/v2/oauth/clients/:id/generate_secret', access: 'admin', scope: write, controller: 'oauth/clients', action: 'generate_secret',
    handler: (ctx) => {
      const c = client(ctx);
      c.secret = randomToken(32);
      c.updatedAt = isoNow();
      ctx.account.oauth.touchClient(c);
      return ok({ client: views.oauthClient(c, ctx.base, true) });
    },
  },
  {
    method: 'DELETE', path: '/api/v2/oauth/clients/:id', access: 'admin', scope: write, controller: 'oauth/clients', action: 'destroy',
    handler: (ctx) => {
      ctx.account.oauth.removeClient(client(ctx).id);
      return noContent();
    },
  },
];
