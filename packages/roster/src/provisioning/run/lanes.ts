/**
 * Two lanes per application, so single changes do not queue behind a burst (issue 17 item 3). Every
 * run takes the `main` lane, one at a time as before. A `quick` run — a small incremental batch of
 * users only, written by single calls — may run beside a main run when the main run is itself an
 * incremental batch without groups and the two share no user. Each user is therefore written by one
 * run at a time, and a later change for a user never overtakes an earlier one: a run that shares a
 * user with the run in the other lane waits for it (and plans from the directory as it is then).
 * Full cycles, kept-plan applies and on-demand runs read or write any user: they run alone.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { provisioningCycles } from '../../db/provisioning-schema.ts';
import type { LeaseScope } from './cycle-lease.ts';

export type Lane = 'main' | 'quick';

/** A running lease as the rule reads it. */
export interface RunningLease {
  cycleId: string;
  kind: string;
  lane: string;
  scope: { userIds?: string[] | undefined; groupIds?: string[] | undefined } | null;
}

/** Why a lease cannot be taken now: the run in the way, or null when it may start. */
export function blockedBy(lane: Lane, kind: string, scope: LeaseScope, running: readonly RunningLease[]): RunningLease | null {
  const same = running.find((r) => r.lane === lane);
  if (same) return same;
  const other = running.find((r) => r.lane !== lane);
  if (!other) return null;
  const quick = lane === 'quick' ? { kind, scope } : other;
  const main = lane === 'quick' ? other : { kind, scope };
  if (quick.kind !== 'incremental' || main.kind !== 'incremental') return other;
  if (quick.scope?.groupIds?.length || main.scope?.groupIds?.length) return other;
  return shareUser(quick.scope?.userIds ?? [], main.scope?.userIds ?? []) ? other : null;
}

function shareUser(a: readonly string[], b: readonly string[]): boolean {
  const [small, large] = a.length <= b.length ? [a, b] : [b, a];
  if (small.length === 0) return false;
  const set = new Set(small);
  return large.some((id) => set.has(id));
}

/**
 * Splits a quick batch kept out by the main lane's run: the users that run holds (all of them when
 * it has groups or is not an incremental batch) wait for it; the others may go now.
 */
export async function splitByHolder(db: Db, holderId: string, userIds: readonly string[]): Promise<{ free: string[]; held: string[] }> {
  const [holder] = await db.select({ kind: provisioningCycles.kind, scope: provisioningCycles.scope }).from(provisioningCycles).where(eq(provisioningCycles.id, holderId));
  if (!holder || holder.kind !== 'incremental' || holder.scope?.groupIds?.length) return { free: [], held: [...userIds] };
  const held = new Set(holder.scope?.userIds ?? []);
  return { free: userIds.filter((id) => !held.has(id)), held: userIds.filter((id) => held.has(id)) };
}
