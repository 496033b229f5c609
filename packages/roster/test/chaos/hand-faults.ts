/**
 * The chaos test's target-side faults, made the way an admin or an incident would make them:
 * - edits by hand: a managed user renamed, suspended, or moved from one managed group to another, in
 *   Zendesk through its public API as the account's admin (drift repair must undo each);
 * - a duplicate by hand: an account created in Zendesk with the email of a directory user who has no
 *   account yet, and no external id (Roster must match it by email and claim it, never create a
 *   second one, and never touch it while the user is not assigned);
 * - a target reset: the sandbox forgets every user but the owner and hands the forgotten ids out
 *   again (a restored or replaced account; real Zendesk never reuses ids, the fault is the hardest
 *   case of a link naming someone else).
 * Every public-API call of the harness carries `chaos_hand=1`, so the write audit leaves it out. The
 * sandbox's faults hit these calls too: each is retried until Zendesk answers.
 */
import type pg from 'pg';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Zendesk bodies read loosely

export interface HandFaults {
  /** One random edit by hand of a managed account; returns its name, or null when none was possible. */
  edit(): Promise<string | null>;
  /** An account with a directory user's email and no external id; returns the email, or null. */
  duplicate(): Promise<string | null>;
  /** Forgets every user but the owner, reusing ids. */
  reset(): Promise<void>;
  /** Emails of the accounts created by hand (the verdict leaves those Roster never claimed alone). */
  duplicates: Set<string>;
  stats(): Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createHandFaults(o: { sandboxUrl: string; sub: string; adminEmail: string; apiToken: string; db: pg.Client; random: () => number }): HandFaults {
  const auth = `Basic ${Buffer.from(`${o.adminEmail}/token:${o.apiToken}`).toString('base64')}`;
  const counts: Record<string, number> = {};
  const count = (name: string) => (counts[name] = (counts[name] ?? 0) + 1);
  const pick = <T>(list: readonly T[]): T | undefined => (list.length ? list[Math.floor(o.random() * list.length)] : undefined);
  const duplicates = new Set<string>();

  /** A public-API call as the admin, retried through injected faults; null when Zendesk refused it for good (4xx). */
  const zendesk = async (method: string, p: string, body?: unknown): Promise<Json | null> => {
    const url = `${o.sandboxUrl}/${o.sub}${p}${p.includes('?') ? '&' : '?'}chaos_hand=1`;
    for (let attempt = 0; attempt < 30; attempt++) {
      try {
        const r = await fetch(url, { method, headers: { 'content-type': 'application/json', authorization: auth }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
        if (r.status < 300) return r.status === 204 ? {} : ((await r.json()) as Json);
        if (r.status !== 429 && r.status < 500) return null;
      } catch {
        // a dropped connection: try again
      }
      await sleep(200 + attempt * 100);
    }
    return null;
  };
  const control = async (method: string, p: string, body?: unknown): Promise<Json> => {
    const r = await fetch(`${o.sandboxUrl}${p}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (r.status >= 300) throw new Error(`sandbox ${method} ${p} → ${r.status} ${await r.text()}`);
    return (await r.json()) as Json;
  };
  const snapshot = () => control('GET', `/__sandbox/accounts/${o.sub}/snapshot`);

  return {
    duplicates,
    stats: () => ({ ...counts }),
    async edit() {
      const snap = await snapshot();
      const managed = (snap['users'] as Json[]).filter((u) => !u.owner && u.active && u.external_id);
      const u = pick(managed);
      if (!u) return null;
      const x = o.random();
      if (x < 0.35) {
        if (!(await zendesk('PUT', `/api/v2/users/${u.id}`, { user: { name: `Renamed by hand ${u.id}` } }))) return null;
        count('rename by hand');
        return 'rename by hand';
      }
      if (x < 0.6) {
        if (!(await zendesk('PUT', `/api/v2/users/${u.id}`, { user: { suspended: !u.suspended } }))) return null;
        count(u.suspended ? 'unsuspend by hand' : 'suspend by hand');
        return u.suspended ? 'unsuspend by hand' : 'suspend by hand';
      }
      // Moved between groups: out of one managed group, into another (team members only, as Zendesk allows).
      const groups = (snap['groups'] as Json[]).filter((g) => !g.deleted && !g.default);
      const memberships = (snap['group_memberships'] as Json[]).filter((m) => m.user_id === u.id);
      if (u.role === 'end-user' || groups.length < 2) return null;
      const from = pick(memberships.filter((m) => groups.some((g) => g.id === m.group_id)));
      const to = pick(groups.filter((g) => !memberships.some((m) => m.group_id === g.id)));
      if (!to) return null;
      if (!(await zendesk('POST', '/api/v2/group_memberships', { group_membership: { user_id: u.id, group_id: to.id } }))) return null;
      if (from) await zendesk('DELETE', `/api/v2/group_memberships/${from.id}`);
      count('move groups by hand');
      return 'move groups by hand';
    },
    async duplicate() {
      const snap = await snapshot();
      const taken = new Set((snap['users'] as Json[]).filter((u) => u.active && u.email).map((u) => String(u.email).toLowerCase()));
      // A user with no account yet: not linked. (An email alone is not enough: a linked user whose new email
      // Roster has not sent yet looks free, and a duplicate then rightly blocks that update for good.)
      const unlinked = "select u.email from users u where u.deleted_at is null and not exists (select 1 from links l where l.object_type = 'user' and l.directory_id = u.id)";
      const free = (await o.db.query<{ email: string }>(unlinked)).rows.map((r) => r.email.toLowerCase()).filter((e) => !taken.has(e));
      const email = pick(free);
      if (!email) return null;
      duplicates.add(email);
      if (!(await zendesk('POST', '/api/v2/users', { user: { name: 'Duplicate by hand', email, role: 'end-user' } }))) return null;
      count('duplicate by hand');
      return email;
    },
    async reset() {
      await control('POST', `/__sandbox/accounts/${o.sub}/faults/forget-users`, { reuseIds: true });
      count('target reset');
    },
  };
}
