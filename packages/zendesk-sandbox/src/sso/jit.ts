import type { Account } from '../store/account.ts';
import type { SsoSettings } from '../store/sso.ts';
import { parseUserInput, type UserInput } from '../store/user-input.ts';
import { createUser, findMatch, updateUser } from '../store/user-write.ts';
import type { UserRecord } from '../store/user-record.ts';
import { userBefore } from '../store/write-log.ts';
import { SsoError } from './xml.ts';

/** The profile an SSO message carries, in the users API's vocabulary (before validation). */
export interface SsoProfile {
  email: string;
  name?: string | undefined;
  role?: string | undefined;
  custom_role_id?: number | undefined;
  external_id?: string | undefined;
  phone?: string | undefined;
  /** An organization *name*; SSO links to an existing one only (Zendesk does not create it). */
  organization?: string | undefined;
  organization_id?: number | undefined;
  tags?: string[] | undefined;
  locale?: string | undefined;
  locale_id?: number | undefined;
  user_fields?: Record<string, unknown> | undefined;
}

const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';
const first = (m: ReadonlyMap<string, string[]>, ...names: string[]) => {
  for (const n of names) {
    const v = m.get(n);
    if (v && v.length > 0 && v[0] !== undefined) return v[0];
  }
  return undefined;
};

/** Tags from one or several values; a single value may hold several tags separated by spaces or commas. */
export const splitTags = (values: readonly string[]) => values.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);

const numeric = (v: string | undefined) => (v !== undefined && /^\d{1,18}$/.test(v) ? Number(v) : undefined);

/** SAML attributes → profile (names per Zendesk's "Enabling SAML single sign-on", see docs/zendesk-sso-facts.md). */
export function profileFromSaml(email: string, attrs: ReadonlyMap<string, string[]>): SsoProfile {
  const given = first(attrs, `${CLAIMS}givenname`, 'givenname', 'first_name');
  const surname = first(attrs, `${CLAIMS}surname`, 'surname', 'last_name');
  const name = [given, surname].filter(Boolean).join(' ').trim() || first(attrs, 'name', `${CLAIMS}name`);
  const locale = first(attrs, 'locale', 'locale_id');
  const userFields: Record<string, unknown> = {};
  for (const [k, v] of attrs) if (k.startsWith('user_field_') && v[0] !== undefined) userFields[k.slice('user_field_'.length)] = v[0];
  const tags = attrs.get('tags');
  return {
    email,
    name: name || undefined,
    role: first(attrs, 'role'),
    custom_role_id: numeric(first(attrs, 'custom_role_id')),
    external_id: first(attrs, 'external_id'),
    phone: first(attrs, 'phone'),
    organization: first(attrs, 'organization'),
    organization_id: numeric(first(attrs, 'organization_id')),
    tags: tags ? splitTags(tags) : undefined,
    ...(locale !== undefined ? (numeric(locale) !== undefined ? { locale_id: numeric(locale) } : { locale }) : {}),
    user_fields: Object.keys(userFields).length > 0 ? userFields : undefined,
  };
}

/**
 * Just-in-time provisioning as Zendesk does at SSO sign-in: the user is matched by external_id, then
 * email, and created or updated with the store's own create/update (the same validation and
 * side effects as `POST /users` / `PUT /users/{id}`); the write is recorded like a public-API write.
 * Differences from the REST API, per the help center: an unknown organization name is ignored (not
 * created); unknown user-field keys are ignored; tags replace the user's tags.
 */
export function signInUser(account: Account, sso: SsoSettings, profile: SsoProfile, path: string): UserRecord {
  const raw: Record<string, unknown> = { email: profile.email, skip_verify_email: true, verified: true };
  if (profile.name !== undefined) raw.name = profile.name;
  if (profile.role !== undefined) raw.role = profile.role;
  if (profile.custom_role_id !== undefined) raw.custom_role_id = profile.custom_role_id;
  if (profile.external_id !== undefined) raw.external_id = profile.external_id;
  if (profile.phone !== undefined) raw.phone = profile.phone;
  if (profile.tags !== undefined) raw.tags = profile.tags;
  if (profile.locale !== undefined) raw.locale = profile.locale;
  if (profile.locale_id !== undefined) raw.locale_id = profile.locale_id;
  if (profile.organization_id !== undefined && account.organizations.get(profile.organization_id)) raw.organization_id = profile.organization_id;
  else if (profile.organization !== undefined) {
    const org = account.organizations.findByName(profile.organization);
    if (org) raw.organization_id = org.id;
  }
  if (profile.user_fields) {
    const known = new Set(account.userFields.map((f) => f.key));
    const fields = Object.fromEntries(Object.entries(profile.user_fields).filter(([k]) => known.has(k)));
    if (Object.keys(fields).length > 0) raw.user_fields = fields;
  }
  const parsed = parseUserInput(raw, 'user');
  if (!parsed.ok) throw new SsoError(`The user's attributes were refused: ${JSON.stringify(parsed.problem.body)}`, 400);
  const input: UserInput = parsed.input;
  const existing = findMatch(account, input);
  if (existing && (!existing.active || existing.suspended)) throw new SsoError(`The user ${profile.email} is suspended in this account.`, 403);

  const role = input.role ?? existing?.role ?? (input.custom_role_id != null ? 'agent' : 'end-user');
  if (role === 'end-user' && !sso.endUsers) throw new SsoError('Single sign-on is not enabled for end users in this account.', 403);
  if (role !== 'end-user' && !sso.agents) throw new SsoError('Single sign-on is not enabled for team members (agents and admins) in this account.', 403);

  const actor = { user: null, isAdmin: true };
  if (existing) {
    const { email: _email, ...changes } = input; // the email identifies; Zendesk does not add it again
    const before = userBefore(existing);
    const result = updateUser(account, existing, existing.email?.toLowerCase() === profile.email.toLowerCase() ? changes : input, actor);
    if (!result.ok) throw new SsoError(`The user could not be updated: ${JSON.stringify(result.problem.body)}`, 422);
    account.writes.record({ method: 'POST', path, kind: 'user.update', userId: existing.id, before, body: { user: input } });
    return result.user;
  }
  const created = createUser(account, { ...input, name: input.name ?? profile.email.split('@')[0] }, actor);
  if (!created.ok) throw new SsoError(`The user could not be created: ${JSON.stringify(created.problem.body)}`, 422);
  account.writes.record({ method: 'POST', path, kind: 'user.create', userId: created.user.id, before: null, body: { user: input } });
  return created.user;
}
