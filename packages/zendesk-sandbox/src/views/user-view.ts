import type { Account } from '../store/account.ts';
import type { UserRecord } from '../store/user-record.ts';

/** role_type per API-NOTES §2: admin 4, agent → its custom role's type, else null. */
export function roleType(account: Account, user: UserRecord): number | null {
  if (user.role === 'admin') return account.roles.get(user.customRoleId ?? -1)?.roleType ?? 4;
  if (user.role === 'agent' && user.customRoleId !== null) return account.roles.get(user.customRoleId)?.roleType ?? 0;
  return null;
}

/**
 * The full user object with the keys of recorded 2023–2024 Zendesk traffic, in that order (no
 * `chat_only`, which older recordings had; `report_csv` on every user).
 */
export function userView(account: Account, user: UserRecord, base: string): Record<string, unknown> {
  const team = user.role !== 'end-user';
  return {
    id: user.id,
    url: `${base}/api/v2/users/${user.id}.json`,
    name: user.name,
    email: user.email,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    time_zone: user.timeZone,
    iana_time_zone: user.timeZone.includes('/') ? user.timeZone : 'America/New_York',
    phone: user.phone,
    shared_phone_number: user.sharedPhoneNumber,
    photo: null,
    locale_id: user.localeId,
    locale: user.locale,
    organization_id: user.organizationId,
    role: user.role,
    verified: user.identities.some((i) => i.verified),
    external_id: user.externalId,
    tags: user.tags,
    alias: user.alias,
    active: user.active,
    shared: false,
    shared_agent: false,
    last_login_at: user.lastLoginAt,
    two_factor_auth_enabled: null,
    signature: user.signature,
    details: user.details,
    notes: user.notes,
    role_type: roleType(account, user),
    custom_role_id: user.customRoleId,
    moderator: user.moderator,
    ticket_restriction: user.ticketRestriction,
    only_private_comments: user.onlyPrivateComments,
    restricted_agent: user.role === 'admin' ? false : user.role === 'end-user' ? true : user.customRoleId !== null,
    suspended: user.suspended,
    default_group_id: team ? account.memberships.defaultGroupId(user.id) : null,
    report_csv: user.role === 'admin',
    user_fields: userFieldsView(account, user),
  };
}

/** Every catalogue key appears, null when unset, as Zendesk does. */
function userFieldsView(account: Account, user: UserRecord): Record<string, unknown> {
  if (account.userFields.length === 0) return user.userFields;
  const out: Record<string, unknown> = {};
  for (const f of account.userFields) out[f.key] = user.userFields[f.key] ?? null;
  return { ...user.userFields, ...out };
}

/** The anonymous user `/users/me` answers without valid credentials (API-NOTES §1.14). */
export function anonymousUserView(): Record<string, unknown> {
  return {
    id: null,
    url: null,
    name: 'Anonymous user',
    email: 'invalid@example.com',
    created_at: null,
    updated_at: null,
    time_zone: 'America/New_York',
    iana_time_zone: 'America/New_York',
    phone: null,
    shared_phone_number: null,
    photo: null,
    locale_id: 1,
    locale: 'en-US',
    organization_id: null,
    role: 'end-user',
    verified: false,
    authenticity_token: 'sandbox-anonymous',
  };
}

/** The reduced deleted-user object (API-NOTES §1.12). */
export function deletedUserView(user: UserRecord, base: string): Record<string, unknown> {
  return {
    id: user.id,
    url: `${base}/api/v2/deleted_users/${user.id}.json`,
    name: user.permanentlyDeleted ? 'Permanently Deleted User' : user.name,
    email: user.permanentlyDeleted ? null : user.email,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    time_zone: user.timeZone,
    phone: user.permanentlyDeleted ? null : user.phone,
    shared_phone_number: user.sharedPhoneNumber,
    photo: null,
    locale_id: user.localeId,
    locale: user.locale,
    organization_id: user.organizationId,
    role: user.role,
    active: false,
  };
}
