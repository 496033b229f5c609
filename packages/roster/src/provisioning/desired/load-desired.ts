/**
 * The desired state of one application: its users in scope (assigned, or every user with scope
 * `all`), each rendered through the mappings. Incremental: only the given users.
 */
import { and, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { users } from '../../db/schema.ts';
import { effectiveAssignments } from '../../directory/apps/effective-assignments.ts';
import type { ProvisioningSettings } from '../config/settings-schema.ts';
import type { DesiredUser, SkippedUser } from '../plan/plan-types.ts';
import { type RenderContext, renderDesired } from './render-desired.ts';

export interface DesiredState {
  desired: DesiredUser[];
  skipped: SkippedUser[];
}

/** The role given to users that scope `all` covers without an assignment. */
const UNASSIGNED_ROLE = 'end-user';
const CHUNK = 5_000;

export async function loadDesiredState(
  executor: Executor,
  applicationId: string,
  settings: Pick<ProvisioningSettings, 'scope'>,
  render: RenderContext,
  opts: { userIds?: readonly string[] | undefined } = {},
): Promise<DesiredState> {
  const assigned = await effectiveAssignments(executor, applicationId, { userIds: opts.userIds });
  const roles = new Map(assigned.map((a) => [a.userId, a.role]));
  const state: DesiredState = { desired: [], skipped: [] };
  const consider = (rows: (typeof users.$inferSelect)[]) => {
    for (const row of rows) {
      const role = roles.get(row.id) ?? (settings.scope === 'all' ? UNASSIGNED_ROLE : undefined);
      if (role === undefined) continue;
      const r = renderDesired(row, role, render);
      if ('desired' in r) state.desired.push(r.desired);
      else state.skipped.push(r.skipped);
    }
  };
  if (opts.userIds) {
    for (let i = 0; i < opts.userIds.length; i += CHUNK) {
      consider(await executor.select().from(users).where(and(inArray(users.id, opts.userIds.slice(i, i + CHUNK) as string[]), isNull(users.deletedAt))));
    }
  } else if (settings.scope === 'all' || roles.size > CHUNK) {
    consider(await executor.select().from(users).where(isNull(users.deletedAt)));
  } else if (roles.size > 0) {
    consider(await executor.select().from(users).where(and(inArray(users.id, [...roles.keys()]), isNull(users.deletedAt))));
  }
  return state;
}
