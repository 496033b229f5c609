import type { ControlHandler } from '../http/server.ts';
import { views } from '../views/resource-views.ts';
import { userView } from '../views/user-view.ts';
import { accountOr404, accountSummary, json } from './respond.ts';

/** GET /__sandbox/accounts/{sub}/snapshot — the whole account state, for assertions. */
export const snapshotHandler: ControlHandler = (ctx) => {
  const account = accountOr404(ctx);
  const base = `${ctx.origin}/${account.subdomain}`;
  return json({
    account: accountSummary(ctx, account),
    users: account.users.ordered.map((u) => ({
      ...userView(account, u, base),
      identities: u.identities.map((i) => views.identity(i, base)),
      deleted_at: u.deletedAt,
      permanently_deleted: u.permanentlyDeleted,
      owner: u.owner,
    })),
    groups: account.groups.ordered.map((g) => views.group(g, base)),
    group_memberships: account.memberships.ordered.map((m) => views.membership(m, base)),
    custom_roles: account.roles.ordered.map((r) => views.role(r, 0)),
    organizations: account.organizations.ordered.map((o) => views.organization(o, base)),
    // With the sandbox's own times (not in Zendesk's view): benches see how long each job took.
    jobs: account.jobs.all.map((j) => ({ ...views.job(j, base), created_at_ms: j.createdAtMs, started_at_ms: j.startedAtMs, finished_at_ms: j.finishedAtMs })),
    counters: account.counters,
    faults: account.faults.config,
  });
};
