import { ApiError } from '../http/errors.ts';
import type { ControlHandler } from '../http/server.ts';
import { accountOptionsSchema, accountPatchSchema } from '../store/account-options.ts';
import { mergeDefined } from '../store/merge.ts';
import { resolvePlan } from '../store/plan.ts';
import { createAccount } from '../store/seed-account.ts';
import { accountOr404, accountSummary, json, parseControl } from './respond.ts';

/** POST /__sandbox/accounts — create an account; 409 if the subdomain exists. */
export const createAccountHandler: ControlHandler = (ctx) => {
  const options = parseControl(accountOptionsSchema, ctx.body);
  if (ctx.registry.get(options.subdomain) || ['api', 'oauth', 'access', '__sandbox'].includes(options.subdomain)) {
    throw new ApiError({ status: 409, body: { error: 'SubdomainTaken', description: `${options.subdomain} already exists or is reserved` } });
  }
  const account = createAccount(options, ctx.registry.shared);
  ctx.registry.add(account);
  return json({ account: accountSummary(ctx, account) }, 201);
};

export const listAccountsHandler: ControlHandler = (ctx) => json({ accounts: ctx.registry.list().map((a) => accountSummary(ctx, a)) });

export const showAccountHandler: ControlHandler = (ctx) => json({ account: accountSummary(ctx, accountOr404(ctx)) });

/** PATCH /__sandbox/accounts/{sub} — plan, bulk import, limits, pace, OAuth lifetimes. */
export const patchAccountHandler: ControlHandler = (ctx) => {
  const account = accountOr404(ctx);
  const patch = parseControl(accountPatchSchema, ctx.body);
  const { pace, oauth, ...plan } = patch;
  account.plan = resolvePlan(plan, account.plan);
  account.pace = mergeDefined(account.pace, pace);
  account.oauthSettings = mergeDefined(account.oauthSettings, oauth);
  if (patch.limits === false || patch.plan !== undefined || patch.requestsPerMinute !== undefined) account.budgets.account.clear();
  account.changes.put('account', account.subdomain, account);
  return json({ account: accountSummary(ctx, account) });
};

/** POST /__sandbox/reset — every account dropped, the default one recreated with its credentials. */
export const resetHandler: ControlHandler = (ctx) => {
  ctx.registry.reset();
  return json({ accounts: ctx.registry.list().map((a) => accountSummary(ctx, a)) });
};
