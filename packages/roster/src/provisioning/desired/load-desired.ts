/**
 * The desired state of one application: its users in scope (assigned, or every user with scope
 * `all`, and passing the scoping filters), each rendered through the mappings. A user failing the
 * filters is out of scope, i.e. absent: a linked one is deprovisioned per the sync actions, exactly
 * like an unassigned one. Incremental: only the given users.
 */
import { and, asc, gte, isNull, lte } from 'drizzle-orm';
import { anyOf } from '../../db/any-of.ts';
import type { Executor } from '../../db/database.ts';
import { users } from '../../db/schema.ts';
import { type EffectiveAssignment, effectiveAssignments } from '../../directory/apps/effective-assignments.ts';
import type { ProvisioningSettings } from '../config/settings-schema.ts';
import type { AbsentUser, DesiredUser, OutOfScopeUser, SkippedUser } from '../diff/plan-types.ts';
import { loadScope } from '../scoping/load-scope.ts';
import { withManagerEmails } from './manager-emails.ts';
import { type RenderContext, renderDesired } from './render-desired.ts';

export interface DesiredState {
  desired: DesiredUser[];
  skipped: SkippedUser[];
  /** Candidates (assigned, or any with scope `all`) that the scoping filters leave out: absent, with the clause that did it. */
  outOfScope: OutOfScopeUser[];
  /** Incremental only: the given users neither desired nor skipped (unassigned, filtered out, deleted), with what a lookup of their account needs. */
  absent: AbsentUser[];
}

/** The role given to users that scope `all` covers without an assignment. */
const UNASSIGNED_ROLE = 'end-user';
const CHUNK = 5_000;
/**
 * Users per page of a full cycle's read. Small enough that a page's rows (and their copies) die
 * young, instead of reaching the old generation as garbage a 100,000-user plan's heap grows around.
 */
const PAGE = 1_000;

export async function loadDesiredState(
  executor: Executor,
  applicationId: string,
  settings: Pick<ProvisioningSettings, 'scope'> & Partial<Pick<ProvisioningSettings, 'scopingFilters'>>,
  render: RenderContext,
  opts: { userIds?: readonly string[] | undefined; assigned?: readonly EffectiveAssignment[] | undefined } = {},
): Promise<DesiredState> {
  // The run's read of the same users' assignments (user-reads.ts), or one of our own.
  const assigned = opts.assigned ?? (await effectiveAssignments(executor, applicationId, { userIds: opts.userIds }));
  const roles = new Map(assigned.map((a) => [a.userId, a.role]));
  const scope = await loadScope(executor, settings.scopingFilters ?? [], { userIds: opts.userIds });
  const state: DesiredState = { desired: [], skipped: [], outOfScope: [], absent: [] };
  const consider = async (loaded: (typeof users.$inferSelect)[]) => {
    const rows = await withManagerEmails(executor, loaded.filter((row) => roles.has(row.id) || settings.scope === 'all'));
    for (const row of rows) {
      const role = roles.get(row.id) ?? (settings.scope === 'all' ? UNASSIGNED_ROLE : undefined);
      if (role === undefined) continue;
      if (!scope.passes(row)) {
        state.outOfScope.push({ directoryId: row.id, identity: row.email, reason: scope.reason(row), log: roles.has(row.id) || opts.userIds !== undefined });
        continue;
      }
      const r = renderDesired(row, role, render);
      if ('desired' in r) state.desired.push(r.desired);
      else state.skipped.push(r.skipped);
    }
  };
  if (opts.userIds) {
    for (let i = 0; i < opts.userIds.length; i += CHUNK) {
      await consider(await executor.select().from(users).where(and(anyOf(users.id, opts.userIds.slice(i, i + CHUNK)), isNull(users.deletedAt))));
    }
    state.absent = await absentUsers(executor, opts.userIds, state, render);
  } else if (settings.scope === 'all' || roles.size > CHUNK) {
    // Every live user's id in order, then their rows a page at a time by a range of the primary key: a
    // large directory's rows, and their copies with the manager's email, are never all in memory at
    // once. (A range, not `= any(ids)`: without statistics, PGlite plans that as a scan of the table per page.)
    const ids = (await executor.select({ id: users.id }).from(users).where(isNull(users.deletedAt)).orderBy(asc(users.id))).map((r) => r.id);
    for (let i = 0; i < ids.length; i += PAGE) {
      const last = ids[Math.min(i + PAGE, ids.length) - 1]!;
      await consider(await executor.select().from(users).where(and(gte(users.id, ids[i]!), lte(users.id, last), isNull(users.deletedAt))));
    }
  } else if (roles.size > 0) {
    await consider(await executor.select().from(users).where(and(anyOf(users.id, [...roles.keys()]), isNull(users.deletedAt))));
  }
  return state;
}

/** Users the plan handles itself: desired, or skipped for a reason other than Default Access (which is never provisioned, so an account it holds must go). */
const presentIds = (state: Pick<DesiredState, 'desired' | 'skipped'>): Set<string> =>
  new Set([...state.desired.map((d) => d.directoryId), ...state.skipped.filter((s) => s.code !== 'default_access').map((s) => s.directoryId)]);

/**
 * The given users that are neither desired nor skipped, with the external id a create would have
 * written (rendered through the mappings as an end user; the directory id when that fails) and their email.
 */
async function absentUsers(executor: Executor, userIds: readonly string[], state: DesiredState, render: RenderContext): Promise<AbsentUser[]> {
  const present = presentIds(state);
  return describeAbsent(executor, userIds.filter((id) => !present.has(id)), render);
}

/** What a lookup of these users' accounts needs. */
async function describeAbsent(executor: Executor, ids: readonly string[], render: RenderContext): Promise<AbsentUser[]> {
  const out: AbsentUser[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = new Map((await withManagerEmails(executor, await executor.select().from(users).where(anyOf(users.id, chunk)))).map((r) => [r.id, r]));
    for (const id of chunk) {
      const row = rows.get(id);
      if (!row) {
        out.push({ directoryId: id, identity: id, externalId: id, email: null });
        continue;
      }
      const r = renderDesired(row, UNASSIGNED_ROLE, render);
      const mapped = 'desired' in r ? r.desired.attributes['email'] : undefined;
      out.push({ directoryId: id, identity: row.email, externalId: 'desired' in r ? r.desired.externalId : id, email: typeof mapped === 'string' && mapped !== '' ? mapped : row.email });
    }
  }
  return out;
}
