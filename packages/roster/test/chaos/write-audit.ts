/**
 * The chaos test's second verdict: no write of Roster's ever reached an account whose identity
 * did not match. Read from the target's write record (the Zendesk sandbox's, or the SCIM peer's:
 * scim-peer.test-support.ts `writes()`) (every public-API write with the target user's
 * state just before it) and Roster's own provisioning events, never from Roster's links.
 *
 * The rule, for every write Roster made (the harness's own edits by hand carry `chaos_hand=1` in the
 * query and are left out) of kind user.update, user.delete, membership.create or membership.delete:
 * - the account written had an identity: `before` is present;
 * - intent: the directory user Roster meant is the directory id of Roster's first successful event
 *   about that Zendesk user id (user writes) or that membership id (membership deletes, and creates
 *   by the id the sandbox records as created) logged at or
 *   after the write (events are logged once Zendesk confirmed; up to 2 s of clock skew allowed);
 *   without such an event (the worker died between the write and its log) the write's own
 *   `external_id` is the intent, if it carries one;
 * - pass when `before.external_id` equals the intent, or when `before.external_id` is null (an account
 *   matched by email, not yet claimed) and the write itself sets `external_id` to the intent and the
 *   account's email is the intended user's directory email (compared case-insensitively); a
 *   membership write or a delete to an account without external id never passes. The email compared
 *   is the one the user held when the write was made (up to the skew before it; the directory's
 *   audit log holds each change), not the latest: a user may change email after their account was claimed;
 * - with no intent known at all, `before.external_id` must at least be a directory user id (never
 *   another system's or a person's by hand) — counted apart as `unattributed`.
 */
import type pg from 'pg';

/** A write as the target recorded it: the Zendesk sandbox's record (numeric ids) or the SCIM peer's (string ids, membership ids `group:user`). */
export interface RecordedWrite {
  seq: number;
  at: string;
  method: string;
  path: string;
  kind: string;
  userId: number | string | null;
  before: { id: number | string; external_id: string | null; email: string | null; name: string; suspended: boolean; active: boolean } | null;
  body: unknown;
  /** The membership id a membership create made. */
  createdId?: number | string;
}

export interface EventRow {
  directory_id: string | null;
  target_id: string | null;
  object_type: string;
  at: Date;
}

export interface WriteAudit {
  /** Writes to an account whose identity did not match the one Roster meant, in words. */
  problems: string[];
  /** Writes Roster made of the kinds checked. */
  checked: number;
  /** Of those, writes no event attributes (the worker died in between): checked against the weaker rule. */
  unattributed: number;
  /** Writes the harness made by hand (left out). */
  byHand: number;
}

const CHECKED = new Set(['user.update', 'user.delete', 'membership.create', 'membership.delete']);
const SKEW_MS = 2_000;
/** How long after its write an event may be logged (bulk jobs are polled; the apply records in batches). */
const WINDOW_MS = 10 * 60_000;

export const isByHand = (w: Pick<RecordedWrite, 'path'>): boolean => /[?&]chaos_hand=1(&|$)/.test(w.path);

const externalIdOf = (body: unknown): string | null => {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)['external_id'] : undefined;
  return typeof v === 'string' ? v : null;
};

export async function auditWrites(db: pg.Client, applicationId: string, writes: readonly RecordedWrite[]): Promise<WriteAudit> {
  const events = (await db.query<EventRow>(`select directory_id, target_id, object_type, at from provisioning_events where application_id = $1 and status = 'success' and directory_id is not null and target_id is not null order by at`, [applicationId])).rows;
  const users = (await db.query<{ id: string; email: string }>('select id, email from users')).rows;
  const changes = (await db.query<{ id: string; email: string; at: Date }>(`select target_id as id, after->>'email' as email, at from audit_log where target_type = 'user' and after ? 'email' order by at, id`)).rows;
  const history = new Map<string, EmailChange[]>();
  for (const c of changes) history.set(c.id, [...(history.get(c.id) ?? []), { at: c.at, email: c.email }]);
  return judgeWrites(writes, events, users.map((u) => ({ ...u, history: history.get(u.id) ?? [] })));
}

/** A directory user's email from `at` on (the audit log's create and update rows, oldest first). */
export interface EmailChange {
  at: Date;
  email: string;
}

/** The emails (lower-cased) the user held at some moment of [at − skew, at]; the current one when no change is recorded. */
function emailsAt(current: string, history: readonly EmailChange[], at: number): Set<string> {
  if (history.length === 0) return new Set([current.toLowerCase()]);
  const out = new Set<string>();
  let held: string | null = null;
  for (const c of history) {
    const t = c.at.getTime();
    if (t > at) break;
    if (t >= at - SKEW_MS && held !== null) out.add(held);
    held = c.email.toLowerCase();
  }
  if (held !== null) out.add(held);
  return out;
}

/** The rule above, on the write record, Roster's successful events (oldest first) and the directory's users. */
export function judgeWrites(writes: readonly RecordedWrite[], events: readonly EventRow[], directory: readonly { id: string; email: string; history?: readonly EmailChange[] }[]): WriteAudit {
  const users = new Map(directory.map((u) => [u.id, u.email.toLowerCase()]));
  const histories = new Map(directory.map((u) => [u.id, u.history ?? []]));
  const byTarget = new Map<string, EventRow[]>();
  for (const e of events) {
    const key = `${e.object_type === 'membership' ? 'm' : 'u'}:${e.target_id}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), e]);
  }
  const intentOf = (key: string, at: number): string | null => {
    const e = byTarget.get(key)?.find((x) => x.at.getTime() >= at - SKEW_MS && x.at.getTime() <= at + WINDOW_MS);
    return e?.directory_id ?? null;
  };

  const audit: WriteAudit = { problems: [], checked: 0, unattributed: 0, byHand: 0 };
  for (const w of writes) {
    if (!CHECKED.has(w.kind)) continue;
    if (isByHand(w)) {
      audit.byHand += 1;
      continue;
    }
    audit.checked += 1;
    const where = `write #${w.seq} ${w.method} ${w.path} (${w.kind}, target user ${w.userId})`;
    const before = w.before;
    if (!before) {
      audit.problems.push(`${where}: no account state before the write`);
      continue;
    }
    const membership = w.kind.startsWith('membership.');
    const membershipId = !membership ? undefined : w.kind === 'membership.delete' ? (w.body as { id?: unknown } | null)?.id : w.createdId;
    const at = Date.parse(w.at);
    const intent = membership ? (membershipId === undefined ? null : intentOf(`m:${String(membershipId)}`, at)) : (intentOf(`u:${before.id}`, at) ?? externalIdOf(w.body));
    const held = before.external_id;
    if (intent === null) {
      audit.unattributed += 1;
      if (held === null || !users.has(held)) audit.problems.push(`${where}: written to an account whose external id is ${JSON.stringify(held)} (not a directory user), intent unknown`);
      continue;
    }
    if (held === intent) continue;
    const emails = users.has(intent) ? emailsAt(users.get(intent)!, histories.get(intent)!, at) : new Set<string>();
    if (held === null && !membership && w.kind !== 'user.delete' && externalIdOf(w.body) === intent && emails.has((before.email ?? '').toLowerCase())) continue;
    audit.problems.push(`${where}: meant for directory user ${intent} (${[...emails].join(' or ') || 'unknown'} at the time) but the account was ${JSON.stringify(held)} <${before.email}>`);
  }
  return audit;
}
