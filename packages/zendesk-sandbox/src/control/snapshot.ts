import { ApiError } from '../http/errors.ts';
import type { ControlHandler } from '../http/server.ts';
import type { Account } from '../store/account.ts';
import { views } from '../views/resource-views.ts';
import { userView } from '../views/user-view.ts';
import { accountOr404, accountSummary, json } from './respond.ts';

/** Each part of a snapshot, built only when asked for. */
const parts = {
  users: (account: Account, base: string) =>
    account.users.ordered.map((u) => ({
      ...userView(account, u, base),
      identities: u.identities.map((i) => views.identity(i, base)),
      deleted_at: u.deletedAt,
      permanently_deleted: u.permanentlyDeleted,
      owner: u.owner,
    })),
  groups: (account: Account, base: string) => account.groups.ordered.map((g) => views.group(g, base)),
  group_memberships: (account: Account, base: string) => account.memberships.ordered.map((m) => views.membership(m, base)),
  custom_roles: (account: Account) => account.roles.ordered.map((r) => views.role(r, 0)),
  organizations: (account: Account, base: string) => account.organizations.ordered.map((o) => views.organization(o, base)),
  // With the sandbox's own times (not in Zendesk's view): benches see how long each job took.
  jobs: (account: Account, base: string) => account.jobs.all.map((j) => ({ ...views.job(j, base), created_at_ms: j.createdAtMs, started_at_ms: j.startedAtMs, finished_at_ms: j.finishedAtMs })),
  counters: (account: Account) => account.counters,
  faults: (account: Account) => account.faults.config,
} satisfies Record<string, (account: Account, base: string) => unknown>;
type Part = keyof typeof parts;

/** `?parts=counters,jobs`: only those parts (a 100,000-user account's users take the sandbox ~0.5 s to build); default every part. */
function partsAsked(raw: string | null): Part[] {
  if (raw === null || raw === '') return Object.keys(parts) as Part[];
  const asked = raw.split(',').map((p) => p.trim());
  const unknown = asked.filter((p) => !Object.hasOwn(parts, p));
  if (unknown.length > 0) throw new ApiError({ status: 400, body: { error: 'InvalidControlRequest', issues: [{ path: 'parts', message: `unknown part ${unknown.join(', ')}; parts are ${Object.keys(parts).join(', ')}` }] } });
  return asked as Part[];
}

/** GET /__sandbox/accounts/{sub}/snapshot[?parts=…] — the whole account state (or the parts asked for), for assertions. */
export const snapshotHandler: ControlHandler = (ctx) => {
  const account = accountOr404(ctx);
  const base = `${ctx.origin}/${account.subdomain}`;
  const out: Record<string, unknown> = { account: accountSummary(ctx, account) };
  for (const part of partsAsked(ctx.query.get('parts'))) out[part] = parts[part](account, base);
  return json(out);
};
