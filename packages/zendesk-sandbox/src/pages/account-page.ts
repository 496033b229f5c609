import type { ControlHandler } from '../http/server.ts';
import type { Account } from '../store/account.ts';
import { roleType } from '../views/user-view.ts';
import { accountOr404 } from '../control/respond.ts';
import { esc, layout } from './html.ts';

const MAX_ROWS = 2000;

function roleLabel(account: Account, customRoleId: number | null): string {
  if (customRoleId === null) return '';
  return account.roles.get(customRoleId)?.name ?? String(customRoleId);
}

/** GET /__sandbox/accounts/{sub}/page — read-only list of users, roles, suspension and groups. */
export const accountPageHandler: ControlHandler = (ctx) => {
  const account = accountOr404(ctx);
  const groups = new Map(account.groups.ordered.map((g) => [g.id, g.name]));
  const rows = account.users.ordered.slice(0, MAX_ROWS).map((u) => {
    const memberOf = account.memberships.forUser(u.id).map((m) => `${groups.get(m.groupId) ?? m.groupId}${m.default ? ' (default)' : ''}`);
    return `<tr><td>${u.id}</td><td>${esc(u.name)}</td><td>${esc(u.email)}</td><td>${esc(u.externalId)}</td><td>${esc(u.role)}</td>
<td>${esc(roleLabel(account, u.customRoleId))}</td><td>${esc(roleType(account, u))}</td><td>${u.suspended ? 'yes' : 'no'}</td><td>${u.active ? 'yes' : 'deleted'}</td><td>${esc(memberOf.join(', '))}</td></tr>`;
  });
  const groupRows = account.groups.ordered.map((g) => `<tr><td>${g.id}</td><td>${esc(g.name)}</td><td>${g.default ? 'yes' : ''}</td><td>${g.deleted ? 'deleted' : ''}</td><td>${account.memberships.forGroup(g.id).length}</td></tr>`);
  const more = account.users.size > MAX_ROWS ? `<p>Showing the first ${MAX_ROWS} of ${account.users.size} users.</p>` : '';
  const body = `<h1>Zendesk sandbox — ${esc(account.subdomain)}</h1>
<p>Plan: ${esc(account.plan.name)} · ${account.users.size} users · <a href="/__sandbox/accounts/${esc(account.subdomain)}/snapshot">JSON snapshot</a></p>
<h2>Users</h2>${more}
<table><thead><tr><th>id</th><th>name</th><th>email</th><th>external_id</th><th>role</th><th>custom role</th><th>role_type</th><th>suspended</th><th>active</th><th>groups</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
<h2>Groups</h2><table><thead><tr><th>id</th><th>name</th><th>default</th><th>state</th><th>members</th></tr></thead><tbody>${groupRows.join('\n')}</tbody></table>`;
  return { status: 200, html: layout(`Sandbox ${account.subdomain}`, body) };
};

/** GET / — the list of accounts with links to their pages. */
export const indexPageHandler: ControlHandler = (ctx) => {
  const items = ctx.registry.list().map((a) => `<li><a href="/__sandbox/accounts/${esc(a.subdomain)}/page">${esc(a.subdomain)}</a>${ctx.registry.default === a ? ' (default, also at /)' : ''} — ${a.users.size} users</li>`);
  return { status: 200, html: layout('Zendesk sandbox', `<h1>Zendesk sandbox</h1><ul>${items.join('')}</ul>`) };
};
