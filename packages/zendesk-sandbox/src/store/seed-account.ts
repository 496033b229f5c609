import type { Account } from './account.ts';
import { allocateAccount, type SandboxShared } from './account.ts';
import type { AccountOptions } from './account-options.ts';
import { isoNow, randomToken } from './ids.ts';
import { mergeDefined } from './merge.ts';
import { DEFAULT_OAUTH_SETTINGS } from './oauth.ts';
import { DEFAULT_PACE } from './pace.ts';
import { resolvePlan } from './plan.ts';
import { roleConfiguration, SYSTEM_ROLES } from './roles.ts';
import { addMembership } from './team.ts';
import { SEEDED_USER_FIELDS } from './user-fields.ts';
import { blankUser } from './user-record.ts';

/** Loopback redirect URIs registered on the seeded client; the port is not compared for loopback hosts. */
export const DEFAULT_REDIRECT_URIS = ['http://localhost/oauth/callback', 'http://127.0.0.1/oauth/callback'];

/**
 * Creates an account seeded like a fresh Zendesk: owner admin, "Support" default group, system
 * roles, a few custom user fields, one API token and one confidential OAuth client.
 */
export function createAccount(options: AccountOptions, shared: SandboxShared): Account {
  const now = isoNow();
  const sub = options.subdomain;
  const account = allocateAccount(
    sub,
    resolvePlan(options),
    mergeDefined(DEFAULT_PACE, options.pace),
    mergeDefined(DEFAULT_OAUTH_SETTINGS, options.oauth),
    {
      adminEmail: options.adminEmail ?? `admin@${sub}.example.com`,
      adminPassword: options.adminPassword ?? randomToken(9),
      apiToken: options.apiToken ?? randomToken(20),
      oauthClientId: options.oauthClientId ?? `${sub}_roster`,
      oauthClientSecret: options.oauthClientSecret ?? randomToken(32),
    },
    now,
    shared,
  );
  account.changes.put('account', sub, account);
  for (const r of SYSTEM_ROLES) {
    account.roles.insert({ id: account.ids.take(), name: r.name, description: r.description, roleType: r.roleType, system: true, configuration: roleConfiguration(r.roleType), createdAt: now, updatedAt: now });
  }
  const support = { id: account.ids.take(), name: 'Support', description: '', default: true, deleted: false, isPublic: true, createdAt: now, updatedAt: now };
  account.groups.insert(support);
  const owner = blankUser(account.ids.take(), options.adminName ?? 'Sandbox Admin', now);
  owner.owner = true;
  owner.password = account.credentials.adminPassword;
  owner.identities.push({ id: account.ids.take(), userId: owner.id, type: 'email', value: account.credentials.adminEmail, primary: true, verified: true, createdAt: now, updatedAt: now });
  owner.email = account.credentials.adminEmail;
  owner.role = 'admin';
  owner.ticketRestriction = null;
  owner.customRoleId = account.plan.customRoles ? (account.roles.systemOfType(4)?.id ?? null) : null;
  account.users.insert(owner);
  account.ownerId = owner.id;
  addMembership(account, owner.id, support.id, now);
  for (const f of SEEDED_USER_FIELDS) {
    const field = { ...f, id: account.ids.take(), createdAt: now, updatedAt: now, active: true, regexpForValidation: null, options: f.options.map((o) => ({ id: account.ids.take(), name: o, value: o })) };
    account.userFields.push(field);
    account.changes.put('field', field.id, field);
  }
  account.oauth.addClient({
    id: account.ids.take(),
    name: 'Roster',
    identifier: account.credentials.oauthClientId,
    secret: account.credentials.oauthClientSecret,
    kind: 'confidential',
    redirectUris: options.oauthRedirectUris ?? DEFAULT_REDIRECT_URIS,
    description: 'Seeded by the sandbox',
    company: 'Roster',
    userId: owner.id,
    createdAt: now,
    updatedAt: now,
  });
  return account;
}
