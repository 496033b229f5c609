/**
 * The connector contract: what the provisioning engine may ask of any target (one folder
 * per connector under connectors/, one line in registry.ts). A connector speaks one target's API and nothing else: it knows no
 * directory tables, no queue and no HTTP framework. Shared code never branches on which connector
 * it holds; it reads `capabilities`.
 *
 * Expected failures are values (`Result<…, ConnectorError>`); only bugs throw. A connector type's
 * definition (its target's facts and `connect()`) is `ConnectorDefinition` in definition.ts.
 */
import type { RetryClass } from '../errors/app-error.ts';
import type { Result } from '../errors/result.ts';

/** A failure the engine decides on by its class, never by an HTTP status. */
export interface ConnectorError {
  /** Stable code, `<connector type>.<code>`, e.g. `<type>.rate_limited`, `<type>.duplicate_email`, `<type>.not_admin`. */
  code: string;
  class: Exclude<RetryClass, 'caller'>;
  /** What went wrong, in the target's words where it gave some. */
  message: string;
  /** What an admin should do about it. */
  advice: string;
  /** Seconds to wait, for `rate_limited` (from Retry-After) and some `transient` errors. */
  retryAfterSeconds?: number;
  /** Per-field problems reported by the target (e.g. a 422 answer's `details`). */
  fields?: Record<string, string[]>;
}

export type ConnectorResult<T> = Result<T, ConnectorError>;

/** What a connector (and the connected account) can do. Read, never assumed. */
export interface Capabilities {
  /** Asynchronous bulk create/update/delete (may depend on the account, e.g. a bulk import setting). */
  bulk: boolean;
  /** Largest batch a bulk call takes (e.g. 100). */
  bulkMaxItems: number;
  /** Most bulk jobs queued or running at once (e.g. 30). */
  bulkMaxInFlight: number;
  /**
   * A bulk call answers with its results, working through them while the request is open (no job
   * queue at the target): single calls beside it only take the same worker's time, so writes go in
   * bulk calls alone. Absent: bulk calls are queued jobs, and single calls run beside them.
   */
  bulkInline?: boolean;
  /** Groups and group memberships. */
  groups: boolean;
  /** A reversible "suspended" state separate from deletion. */
  suspend: boolean;
  /** Roles beyond the built-in ones, read from the account. */
  customRoles: boolean;
  /** Memberships only for users with these role kinds (e.g. agents and admins). */
  groupMemberRoleKinds: readonly RoleKind[] | 'all';
  /**
   * Most membership changes (or groups created) one batch call of `GroupClient` takes: present and
   * above 1 only when the group client offers `addMembers` / `removeMembers` (and `createMany`).
   * Absent: one call per membership.
   */
  groupBatchMaxItems?: number;
}

export type RoleKind = 'end-user' | 'agent' | 'admin' | 'custom';

/** A role the target offers, as read from the account. `key` is what an assignment stores. */
export interface TargetRole {
  /** e.g. `end-user`, `agent`, `admin`, `custom:360001234` */
  key: string;
  label: string;
  kind: RoleKind;
  description?: string;
  /** The target's own classifier of the role (e.g. a role type number), for display and role rules. */
  typeCode?: number | null;
}

/** A field of the target's user object that a mapping can write. */
export interface TargetField {
  /** The key used in mappings and in `TargetUserInput.attributes`, e.g. `name`, `user_fields.plan`. */
  key: string;
  label: string;
  type: 'string' | 'number' | 'boolean' | 'date' | 'string[]' | 'enum';
  enumValues?: string[];
  /** A field of the account (a custom user field) rather than a built-in one. */
  custom: boolean;
  /** Can be written only at creation (e.g. a primary email). */
  createOnly?: boolean;
  /** Can be used to find an existing account (matching attributes). */
  matchable?: boolean;
  required?: boolean;
  /**
   * False when the target refuses an empty value on update (e.g. a time zone or locale that is a
   * plain string, not nullable; the connector's catalogue cites the target's documentation).
   * The engine then keeps the target's value instead of sending null, and logs why. Default true.
   */
  clearable?: boolean;
}

/** A user as the target holds it, normalised. `attributes` uses `TargetField.key`s. */
export interface TargetUser {
  id: string;
  externalId: string | null;
  email: string | null;
  name: string;
  roleKey: string;
  suspended: boolean;
  /** False once deleted (a soft delete). */
  active: boolean;
  attributes: Record<string, unknown>;
  groupIds?: string[];
  updatedAt?: string;
}

/** What the engine asks a target to write for one user. */
export interface TargetUserInput {
  externalId: string;
  roleKey: string;
  attributes: Record<string, unknown>;
  suspended?: boolean;
}

export interface TargetGroup {
  id: string;
  name: string;
  description?: string | null;
  isDefault?: boolean;
}

/** Test connection: each step with its outcome, so the UI can show exactly what failed. */
export interface CheckReport {
  ok: boolean;
  steps: { name: string; ok: boolean; message: string }[];
  /** Who the credentials act as. */
  actingAs?: { id: string; email: string | null; role: string };
  capabilities?: Capabilities;
  /** Things that work but with a caveat, e.g. "bulk import is off: Roster uses single calls". */
  warnings: string[];
}

/** One item of a bulk call, mapped back to the input by `index`. */
export type BulkItemResult = { index: number; ok: true; id: string; status: 'created' | 'updated' | 'deleted' } | { index: number; ok: false; error: ConnectorError };

export interface UserClient {
  /** Every user, page by page, in a stable order. */
  list(options?: { pageSize?: number }): AsyncIterable<ConnectorResult<TargetUser[]>>;
  get(id: string): Promise<ConnectorResult<TargetUser | null>>;
  /**
   * The accounts with these ids as the target holds them now, the evidence of the identity check
   * before writes planned without a full read (e.g. one request per 100 ids). An
   * id with no live account is left out of the answer, or answered with `active: false`.
   */
  getMany(ids: readonly string[]): Promise<ConnectorResult<TargetUser[]>>;
  /** Finds by a matchable field (`external_id`, `email`, …); null when none. */
  findBy(field: string, value: string): Promise<ConnectorResult<TargetUser[]>>;
  /**
   * `findBy` for many values at once, in as few requests as the target allows: the lookups before
   * creates and deprovisionings planned without a read of the target (e.g. external ids one request per
   * 100; other fields one search per value). The same
   * matching as `findBy` (exact, case-insensitive); every account holding any of the values, once.
   */
  findByMany(field: string, values: readonly string[]): Promise<ConnectorResult<TargetUser[]>>;
  create(input: TargetUserInput): Promise<ConnectorResult<TargetUser>>;
  update(id: string, patch: Partial<TargetUserInput>): Promise<ConnectorResult<TargetUser>>;
  delete(id: string): Promise<ConnectorResult<void>>;
  /** Bulk variants; only called when `capabilities.bulk`. Each resolves when the target's job is done. */
  createMany?(inputs: TargetUserInput[]): Promise<ConnectorResult<BulkItemResult[]>>;
  updateMany?(patches: { id: string; patch: Partial<TargetUserInput> }[]): Promise<ConnectorResult<BulkItemResult[]>>;
}

/** One item of a group batch call, mapped back to the input by `index`. */
export type GroupBatchResult<T> = { index: number; ok: true; value: T } | { index: number; ok: false; error: ConnectorError };

export interface GroupClient {
  list(): AsyncIterable<ConnectorResult<TargetGroup[]>>;
  create(input: { name: string; description?: string | null }): Promise<ConnectorResult<TargetGroup>>;
  update(id: string, input: { name?: string; description?: string | null }): Promise<ConnectorResult<TargetGroup>>;
  delete(id: string): Promise<ConnectorResult<void>>;
  listMembers(groupId: string): AsyncIterable<ConnectorResult<{ membershipId: string; userId: string }[]>>;
  addMember(groupId: string, userId: string): Promise<ConnectorResult<{ membershipId: string }>>;
  removeMember(membershipId: string): Promise<ConnectorResult<void>>;
  /**
   * Batch variants, offered with `capabilities.groupBatchMaxItems` > 1 and called with at most that
   * many items. Each item's outcome is answered by its index (a write the target refused for one
   * item fails only that item); the call as a whole fails only when nothing could be attempted
   * (e.g. a configuration error). The same meanings as the single calls: adding a member twice
   * answers the same membership, removing a membership that is gone answers `not_found`.
   */
  createMany?(inputs: { name: string; description?: string | null }[]): Promise<ConnectorResult<GroupBatchResult<TargetGroup>[]>>;
  addMembers?(items: { groupId: string; userId: string }[]): Promise<ConnectorResult<GroupBatchResult<{ membershipId: string }>[]>>;
  removeMembers?(membershipIds: string[]): Promise<ConnectorResult<GroupBatchResult<void>[]>>;
}

/**
 * What identifies the connected account itself (DESIGN §3.6), recorded at connect time and checked
 * before every run that writes. Facts that survive token refresh and reconnection by another admin
 * of the same account, and change when another account is behind the same address or it was reset.
 */
export interface AccountIdentity {
  /** Compared for equality. */
  key: string;
  /** How an admin reads it, e.g. `default group "Support" (id 360001), created 2019-05-02T10:00:00Z`. */
  label: string;
}

/** A connected account: built from a connector's config and stored credentials. */
export interface Connection {
  capabilities(): Promise<ConnectorResult<Capabilities>>;
  /**
   * The account's identity now. Given the recorded one, answers it unchanged while its facts still
   * hold (so a change inside the same account, e.g. another default group, is not another account).
   */
  accountIdentity(recorded?: AccountIdentity | null): Promise<ConnectorResult<AccountIdentity>>;
  check(): Promise<CheckReport>;
  roles(): Promise<ConnectorResult<TargetRole[]>>;
  fields(): Promise<ConnectorResult<TargetField[]>>;
  users: UserClient;
  groups?: GroupClient;
}

/** Where one target account receives sign-ins, from the application's settings. */
export interface SsoEndpoints {
  /** The account's base URL, e.g. `https://acme.example.com`. */
  baseUrl: string;
  /** SAML assertion consumer (HTTP-POST): Recipient and Destination. */
  acsUrl: string;
  /** SAML audience (the SP entity id). */
  audience: string;
  /** Where a JWT sign-in is posted (absent when the target has no JWT method). */
  jwtUrl?: string;
  /** The form field of the JWT, and the one of the page to return to. */
  jwtFields?: { token: string; returnTo: string };
}

/** One user as the mapping engine rendered them for this application, with their app role. */
export interface SsoSubject {
  /** Directory id. */
  userId: string;
  email: string;
  givenName: string | null;
  familyName: string | null;
  /** Target field key → value, exactly what provisioning writes. */
  attributes: Record<string, unknown>;
  externalId: string;
  roleKey: string;
}

export interface SamlAttribute {
  name: string;
  values: string[];
}

/** The target's single sign-on: its endpoints, and how a rendered user becomes an assertion or a token. */
export interface SsoDefinition {
  methods: readonly ('saml' | 'jwt')[];
  /** Null when the application's settings do not name an account yet. */
  endpoints(settings: Record<string, unknown>, urlTemplate: string): SsoEndpoints | null;
  /** NameID (and its format) and attributes of a SAML assertion. */
  samlAssertion(subject: SsoSubject): { nameId: string; nameIdFormat: string; attributes: SamlAttribute[] };
  /** JWT claims other than `iat` and `jti`. */
  jwtClaims(subject: SsoSubject): Record<string, unknown>;
  /** A URL the target may be sent back to (RelayState, return_to): only the account's own pages. */
  isOwnUrl(endpoints: SsoEndpoints, url: string): boolean;
}

/** What a connector gets from its host: a fetch, a clock, the shared pacer, a logger. */
export interface ConnectorDeps {
  fetch: typeof fetch;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Waits for a request slot of the target account's shared budget, and learns from response headers. */
  pacer: Pacer;
  /** Called when OAuth tokens were refreshed (refresh tokens rotate): the host stores them encrypted. */
  onTokensRefreshed?(tokens: { accessToken: string; refreshToken: string | null; expiresAt: number | null }): Promise<void>;
  /**
   * The tokens the host has stored now. Another worker may have refreshed (and so rotated away)
   * the pair this connection started with: before refreshing, and after a refused refresh, the
   * connector adopts newer stored tokens instead of stopping the application.
   */
  loadTokens?(): Promise<{ accessToken: string; refreshToken: string | null; expiresAt: number | null } | null>;
  log?(event: { msg: string; [k: string]: unknown }): void;
}

/** One request budget per target account, shared by every worker (see provisioning/apply/pacer). */
export interface Pacer {
  /**
   * Resolves when one more request may be sent now. `priority` (a bulk job's submission or status
   * read) may go ahead of queued ordinary requests by a bounded lead (2 % of the budget), still
   * within the budget (provisioning/apply/pacer-schedule.ts).
   */
  acquire(options?: { priority?: boolean }): Promise<void>;
  /** Learns the budget from a response's rate-limit headers (limit, remaining, reset seconds). */
  observe(info: { limit?: number; remaining?: number; resetSeconds?: number; retryAfterSeconds?: number }): void | Promise<void>;
}
