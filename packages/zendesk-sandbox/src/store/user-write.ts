import { problems, type ApiProblem, type ValidationDetails } from '../http/errors.ts';
import { takeUserId, type Account } from './account.ts';
import { isoNow } from './ids.ts';
import { applyRole } from './team.ts';
import { isEmail, type UserInput } from './user-input.ts';
import { blankUser, type Identity, type Role, type UserRecord } from './user-record.ts';

/** Who is making a change; non-admin agents may only touch end users (API-NOTES §1.8). */
export interface Actor {
  readonly user: UserRecord | null;
  readonly isAdmin: boolean;
}

export type WriteResult = { ok: true; user: UserRecord } | { ok: false; problem: ApiProblem };

const ROLES = new Set<string>(['end-user', 'agent', 'admin']);
const RESTRICTIONS = new Set(['organization', 'groups', 'assigned', 'requested']);

function add(details: ValidationDetails, field: string, description: string, error: string): void {
  (details[field] ??= []).push({ description, error });
}

/** Resolves the role a write asks for; `end-user` plus a custom role means agent (API-NOTES §1.4). */
function targetRole(input: UserInput, current: UserRecord | null): { role: Role; customRoleId: number | null } | null {
  if (input.role === undefined && input.custom_role_id === undefined) return null;
  let role = (input.role ?? current?.role ?? 'end-user') as Role;
  const customRoleId = input.custom_role_id === undefined ? (current?.customRoleId ?? null) : input.custom_role_id;
  if (role === 'end-user' && input.custom_role_id != null) role = 'agent';
  return { role, customRoleId: role === 'agent' ? customRoleId : null };
}

function validate(account: Account, input: UserInput, self: UserRecord | null): ValidationDetails {
  const details: ValidationDetails = {};
  if (self === null || input.name !== undefined) {
    if (!input.name || input.name.trim() === '') add(details, 'name', 'Name: is too short (minimum one character)', 'ValueTooShort');
  }
  const emails = [input.email, ...(input.identities ?? []).filter((i) => i.type === 'email').map((i) => i.value)];
  for (const email of emails) {
    if (email === undefined || email === null) continue;
    if (!isEmail(email)) add(details, 'email', `Email: ${email} is not properly formatted`, 'InvalidValue');
    else {
      const owner = account.users.findByEmail(email);
      if (owner && owner !== self) add(details, 'email', `Email: ${email} is already being used by another user`, 'DuplicateValue');
    }
  }
  if (input.external_id != null) {
    const owner = account.users.findByExternalId(input.external_id);
    if (owner && owner !== self) add(details, 'external_id', 'External has already been taken', 'DuplicateValue');
  }
  if (input.role !== undefined && !ROLES.has(input.role)) add(details, 'role', `Role: ${input.role} is not included in the list`, 'InvalidValue');
  if (input.custom_role_id != null) {
    if (!account.plan.customRoles) add(details, 'custom_role_id', 'Custom role: is not available on this plan', 'InvalidValue');
    else if (!account.roles.get(input.custom_role_id)) add(details, 'custom_role_id', 'Custom role: is invalid', 'InvalidValue');
  }
  if (input.organization_id != null && !account.organizations.get(input.organization_id)) {
    add(details, 'organization_id', 'Organization: is invalid', 'InvalidValue');
  }
  if (input.ticket_restriction != null && !RESTRICTIONS.has(input.ticket_restriction)) {
    add(details, 'ticket_restriction', 'Ticket restriction: is not included in the list', 'InvalidValue');
  }
  return details;
}

function newIdentity(account: Account, user: UserRecord, type: string, value: string, primary: boolean, verified: boolean, now: string): Identity {
  const identity: Identity = { id: account.ids.take(), userId: user.id, type, value, primary, verified, createdAt: now, updatedAt: now };
  user.identities.push(identity);
  if (type === 'email') account.users.indexEmail(value, user);
  return identity;
}

function syncPrimaryEmail(user: UserRecord): void {
  user.email = user.identities.find((i) => i.type === 'email' && i.primary)?.value ?? user.identities.find((i) => i.type === 'email')?.value ?? null;
}

/** Copies the plain attributes of an input onto a user. */
function applyAttributes(account: Account, user: UserRecord, input: UserInput, now: string): void {
  if (input.name != null) user.name = input.name.trim();
  if (input.phone !== undefined) user.phone = input.phone;
  if (input.alias !== undefined) user.alias = input.alias;
  if (input.details !== undefined) user.details = input.details;
  if (input.notes !== undefined) user.notes = input.notes;
  if (input.time_zone !== undefined) user.timeZone = input.time_zone;
  if (input.locale !== undefined) user.locale = input.locale;
  else if (input.locale_id !== undefined) user.localeId = input.locale_id;
  if (input.tags !== undefined) user.tags = [...new Set(input.tags)];
  if (input.suspended !== undefined) user.suspended = input.suspended;
  if (input.only_private_comments !== undefined) user.onlyPrivateComments = input.only_private_comments;
  if (input.moderator !== undefined) user.moderator = input.moderator;
  if (input.shared_phone_number !== undefined) user.sharedPhoneNumber = input.shared_phone_number;
  if (input.user_fields !== undefined) user.userFields = { ...user.userFields, ...input.user_fields };
  if (input.external_id !== undefined) account.users.setExternalId(user, input.external_id);
  if (input.organization_id !== undefined) user.organizationId = input.organization_id;
  if (input.organization !== undefined) {
    let org = account.organizations.findByName(input.organization.name);
    if (!org) {
      org = { id: account.ids.take(), name: input.organization.name, externalId: null, createdAt: now, updatedAt: now };
      account.organizations.insert(org);
    }
    user.organizationId = org.id;
  }
  if (input.signature !== undefined && user.role !== 'end-user') user.signature = input.signature;
  if (input.ticket_restriction !== undefined) {
    const r = input.ticket_restriction;
    user.ticketRestriction = user.role === 'end-user' && (r === 'groups' || r === 'assigned') ? 'requested' : r;
  }
  if (input.default_group_id != null) {
    const m = account.memberships.find(user.id, input.default_group_id);
    if (m) account.memberships.makeDefault(m, now);
  }
}

function forbiddenFor(actor: Actor, role: Role): boolean {
  return !actor.isAdmin && role !== 'end-user';
}

/** Creates a user (POST /users, create_many, create_or_update when nothing matches). */
export function createUser(account: Account, input: UserInput, actor: Actor): WriteResult {
  const wanted = targetRole(input, null) ?? { role: 'end-user' as Role, customRoleId: null };
  if (forbiddenFor(actor, wanted.role)) return { ok: false, problem: problems.forbidden() };
  const details = validate(account, input, null);
  if (Object.keys(details).length > 0) return { ok: false, problem: problems.recordInvalid(details) };
  const now = isoNow();
  const user = blankUser(takeUserId(account), (input.name as string).trim(), now);
  const verified = input.verified ?? false;
  if (input.email) newIdentity(account, user, 'email', input.email, true, verified, now);
  for (const extra of input.identities ?? []) {
    if (extra.type === 'email' && account.users.findByEmail(extra.value)) continue;
    newIdentity(account, user, extra.type, extra.value, !user.identities.some((i) => i.primary), verified, now);
  }
  syncPrimaryEmail(user);
  if (input.external_id != null) user.externalId = input.external_id;
  account.users.insert(user);
  applyRole(account, user, wanted.role, wanted.customRoleId, now);
  applyAttributes(account, user, { ...input, external_id: undefined, name: undefined } as UserInput, now);
  return { ok: true, user };
}

/** Updates a user (PUT /users/{id}, batch updates, create_or_update on a match). */
export function updateUser(account: Account, user: UserRecord, input: UserInput, actor: Actor): WriteResult {
  const wanted = targetRole(input, user);
  const touchesTeam = user.role !== 'end-user' && user !== actor.user;
  if (!actor.isAdmin && (touchesTeam || (wanted && wanted.role !== user.role) || (wanted && wanted.role !== 'end-user'))) {
    return { ok: false, problem: problems.forbidden() };
  }
  const details = validate(account, input, user);
  if (user.owner && wanted && wanted.role !== 'admin') add(details, 'role', 'Role: the account owner must remain an admin', 'InvalidValue');
  if (Object.keys(details).length > 0) return { ok: false, problem: problems.recordInvalid(details) };
  const now = isoNow();
  if (input.email != null && !user.identities.some((i) => i.type === 'email' && i.value.toLowerCase() === input.email?.toLowerCase())) {
    const hasEmail = user.identities.some((i) => i.type === 'email');
    newIdentity(account, user, 'email', input.email, !hasEmail, input.verified ?? false, now);
    syncPrimaryEmail(user);
  } else if (input.verified !== undefined && input.email == null) {
    const primary = user.identities.find((i) => i.primary);
    if (primary) {
      primary.verified = input.verified;
      primary.updatedAt = now;
    }
  }
  if (wanted) applyRole(account, user, wanted.role, wanted.customRoleId, now);
  applyAttributes(account, user, input, now);
  user.updatedAt = now;
  account.users.touch(user);
  return { ok: true, user };
}

/** Soft delete: `active:false`, email and external_id freed, memberships dropped (API-NOTES §1.10). */
export function softDeleteUser(account: Account, user: UserRecord, actor: Actor): WriteResult {
  if (user.owner) return { ok: false, problem: problems.forbidden() };
  if (!actor.isAdmin && user.role !== 'end-user') return { ok: false, problem: problems.forbidden() };
  const now = isoNow();
  account.users.unindexAll(user);
  account.memberships.removeUser(user.id);
  user.active = false;
  user.deletedAt = now;
  user.updatedAt = now;
  account.users.touch(user);
  return { ok: true, user };
}

/** create_or_update: match by external_id (case-insensitive, stored case rewritten) or email. */
export function findMatch(account: Account, input: UserInput): UserRecord | undefined {
  if (input.external_id != null) {
    const byExternal = account.users.findByExternalId(input.external_id);
    if (byExternal) return byExternal;
  }
  return input.email ? account.users.findByEmail(input.email) : undefined;
}
