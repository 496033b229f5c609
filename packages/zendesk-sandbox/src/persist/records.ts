import type { Account, AccountCredentials, SandboxShared } from '../store/account.ts';
import { allocateAccount } from '../store/account.ts';
import type { RecordKind } from '../store/changes.ts';
import type { GroupRecord } from '../store/groups.ts';
import type { JobRecord } from '../store/jobs.ts';
import type { MembershipRecord } from '../store/memberships.ts';
import type { OAuthClientRecord, OAuthSettings, OAuthTokenRecord } from '../store/oauth.ts';
import type { OrganizationRecord } from '../store/organizations.ts';
import type { Pace } from '../store/pace.ts';
import type { Plan } from '../store/plan.ts';
import type { RoleRecord } from '../store/roles.ts';
import type { SsoSettings } from '../store/sso.ts';
import type { UserFieldRecord } from '../store/user-fields.ts';
import { blankUser, type Identity, type UserRecord } from '../store/user-record.ts';

/** What the state file keeps of an account itself (its records are separate lines). */
export interface AccountMeta {
  plan: Plan;
  pace: Pace;
  oauthSettings: OAuthSettings;
  credentials: AccountCredentials;
  apiTokens: string[];
  ownerId: number;
  createdAt: string;
  /** Absent in files written before SSO existed. */
  sso?: SsoSettings;
}

export const RECORD_KINDS: ReadonlySet<string> = new Set<RecordKind>(['account', 'user', 'group', 'membership', 'role', 'org', 'field', 'client', 'token', 'job']);

const USER_DEFAULTS: Readonly<Record<string, unknown>> = blankUser(0, '', '') as unknown as Record<string, unknown>;

const isDefault = (key: string, value: unknown) => {
  const d = USER_DEFAULTS[key];
  if (Array.isArray(d)) return Array.isArray(value) && value.length === 0;
  if (d !== null && typeof d === 'object') return value !== null && typeof value === 'object' && Object.keys(value).length === 0;
  return value === d;
};

/**
 * A user as stored: only the fields that differ from a new user's defaults, identities as
 * `[id, type, value, primary, verified, created_at, updated_at]` — half the bytes of the full
 * record, which is what a restart with 100,000 users spends its time parsing.
 */
function encodeUser(u: UserRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { id: u.id, identities: u.identities.map((i) => [i.id, i.type, i.value, i.primary, i.verified, i.createdAt, i.updatedAt]) };
  for (const [k, v] of Object.entries(u)) if (k !== 'id' && k !== 'identities' && !isDefault(k, v)) out[k] = v;
  return out;
}

/** The inverse of {@link encodeUser}. */
export function decodeUser(stored: Record<string, unknown>): UserRecord {
  const user = { ...blankUser(0, '', ''), ...stored } as UserRecord;
  user.tags = [...user.tags];
  user.identities = (stored.identities as unknown[][]).map(([id, type, value, primary, verified, createdAt, updatedAt]) => ({ id, userId: user.id, type, value, primary, verified, createdAt, updatedAt }) as Identity);
  return user;
}

/** A record as written to a journal line (jobs lose their runnable items, users their defaults). */
export function encodeRecord(kind: RecordKind, value: unknown): unknown {
  if (value === null) return null;
  if (kind === 'account') {
    const a = value as Account;
    const meta: AccountMeta = { plan: a.plan, pace: a.pace, oauthSettings: a.oauthSettings, credentials: a.credentials, apiTokens: [...a.apiTokens], ownerId: a.ownerId, createdAt: a.createdAt, sso: a.sso };
    return meta;
  }
  if (kind === 'user') return encodeUser(value as UserRecord);
  if (kind === 'job') {
    const { items: _items, done: _done, ...rest } = value as JobRecord;
    return rest;
  }
  return value;
}

/** One account's records as read back, keyed by id, before they are put into stores. */
export interface RawAccount {
  meta: AccountMeta | null;
  writeSeq: number;
  readonly records: Record<Exclude<RecordKind, 'account'>, Map<number | string, unknown>>;
}

export function emptyRawAccount(): RawAccount {
  return {
    meta: null,
    writeSeq: 0,
    records: { user: new Map(), group: new Map(), membership: new Map(), role: new Map(), org: new Map(), field: new Map(), client: new Map(), token: new Map(), job: new Map() },
  };
}

const byId = <T extends { id: number }>(m: Map<number | string, unknown>): T[] => ([...m.values()] as T[]).sort((a, b) => a.id - b.id);

/** The largest numeric id among an account's records (ids never go below it again). */
export function maxId(raw: RawAccount): number {
  let max = Math.max(raw.meta?.ownerId ?? 0, raw.meta?.sso?.brandId ?? 0);
  for (const [kind, m] of Object.entries(raw.records)) {
    if (kind === 'job') continue;
    for (const id of m.keys()) if (typeof id === 'number' && id > max) max = id;
    if (kind === 'user') for (const u of m.values() as Iterable<{ identities: Array<[number]> }>) for (const [id] of u.identities) if (id > max) max = id;
    if (kind === 'field') for (const f of m.values() as Iterable<UserFieldRecord>) for (const o of f.options) if (o.id > max) max = o.id;
  }
  return max;
}

/** Builds a live account from its records; the change set must be disabled meanwhile. */
export function buildAccount(sub: string, raw: RawAccount & { meta: AccountMeta }, shared: SandboxShared): Account {
  const m = raw.meta;
  const account = allocateAccount(sub, m.plan, m.pace, m.oauthSettings, m.credentials, m.createdAt, shared);
  account.ownerId = m.ownerId;
  if (m.sso) account.sso = m.sso;
  for (const t of m.apiTokens) account.apiTokens.add(t);
  for (const r of byId<RoleRecord>(raw.records.role)) account.roles.insert(r);
  for (const g of byId<GroupRecord>(raw.records.group)) account.groups.insert(g);
  for (const o of byId<OrganizationRecord>(raw.records.org)) account.organizations.insert(o);
  for (const stored of byId<{ id: number }>(raw.records.user)) {
    const u = decodeUser(stored as unknown as Record<string, unknown>);
    account.users.insert(u);
    // A deleted user's email and external_id are free for others (as when it was deleted).
    if (!u.active) account.users.unindexAll(u);
  }
  for (const ms of byId<MembershipRecord>(raw.records.membership)) account.memberships.insert(ms);
  account.userFields.push(...byId<UserFieldRecord>(raw.records.field));
  for (const c of byId<OAuthClientRecord>(raw.records.client)) account.oauth.addClient(c);
  for (const t of byId<OAuthTokenRecord>(raw.records.token)) account.oauth.restoreToken(t);
  const jobs = ([...raw.records.job.values()] as JobRecord[]).sort((a, b) => a.seq - b.seq);
  account.jobs.restore(jobs.map((j) => ({ ...j, items: [], done: j.results ?? [] })));
  account.writes.continueAfter(raw.writeSeq);
  return account;
}

/** Every record of an account, for a snapshot (compaction): `[kind, id, value]`. */
export function* accountRecords(a: Account): Generator<[RecordKind, number | string, unknown]> {
  yield ['account', a.subdomain, a];
  for (const r of a.roles.ordered) yield ['role', r.id, r];
  for (const g of a.groups.ordered) yield ['group', g.id, g];
  for (const o of a.organizations.ordered) yield ['org', o.id, o];
  for (const u of a.users.ordered) yield ['user', u.id, u];
  for (const m of a.memberships.ordered) yield ['membership', m.id, m];
  for (const f of a.userFields) yield ['field', f.id, f];
  for (const c of a.oauth.clients.values()) yield ['client', c.id, c];
  for (const t of a.oauth.tokensById.values()) yield ['token', t.id, t];
  for (const j of a.jobs.all) yield ['job', j.id, j];
}
