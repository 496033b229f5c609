import type { z } from 'zod';
import { ApiError } from '../http/errors.ts';
import type { Reply } from '../http/route.ts';
import type { ControlContext } from '../http/server.ts';
import type { Account } from '../store/account.ts';

/** Parses a control body with its schema; every problem is listed at once in a 400. */
export function parseControl<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    throw new ApiError({
      status: 400,
      body: { error: 'InvalidControlRequest', issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  }
  return parsed.data;
}

export function accountOr404(ctx: ControlContext): Account {
  const account = ctx.registry.get(ctx.params.sub ?? '');
  if (!account) throw new ApiError({ status: 404, body: { error: 'UnknownAccount', description: `No account ${ctx.params.sub ?? ''}` } });
  return account;
}

export const json = (body: unknown, status = 200): Reply => ({ status, body });

/** Everything a caller needs to talk to an account, credentials included. */
export function accountSummary(ctx: ControlContext, account: Account): Record<string, unknown> {
  const isDefault = ctx.registry.default === account;
  return {
    subdomain: account.subdomain,
    default: isDefault,
    url: `${ctx.origin}/${account.subdomain}`,
    ...(isDefault ? { rootUrl: ctx.origin } : {}),
    pageUrl: `${ctx.origin}/__sandbox/accounts/${account.subdomain}/page`,
    plan: account.plan,
    pace: account.pace,
    oauth: account.oauthSettings,
    ownerId: account.ownerId,
    ...account.credentials,
  };
}
