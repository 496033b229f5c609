/**
 * An account found by a matching attribute (email) and not yet carrying the user's external id is
 * claimed by the link's write. The match was made with the directory values the plan read; a run
 * can take minutes under faults, and a user whose email changed meanwhile must not claim the account
 * of the old address (another person may hold it by then). Such a claim is held back and the user
 * retried at once with a fresh plan; a claim whose directory row is unchanged goes ahead.
 */
import { sql } from 'drizzle-orm';
import type { ConnectorError } from '../../connectors/contract.ts';
import { anyOf } from '../../db/any-of.ts';
import type { Executor } from '../../db/database.ts';
import { users } from '../../db/schema.ts';
import type { PlanAction } from '../diff/plan-types.ts';

type Claim = Extract<PlanAction, { kind: 'link' }>;

export const DIRECTORY_CHANGED: ConnectorError = {
  code: 'directory_changed',
  class: 'transient',
  message: 'The user changed in the directory while this run was applying: the account matched by the old values was not claimed.',
  advice: 'None: the user is matched again at once with the new values.',
};

/** Whether the link writes the user's external id onto an account matched by another attribute. */
export const isClaim = (a: PlanAction): a is Claim => a.kind === 'link' && a.patch.externalId !== undefined && a.desired.version !== undefined;

/** The claims among `actions` whose directory user changed (or was deleted) since the plan read it. */
export async function staleClaims(db: Executor, actions: readonly PlanAction[]): Promise<Set<PlanAction>> {
  const claims = actions.filter(isClaim);
  if (claims.length === 0) return new Set();
  const rows = await db
    .select({ id: users.id, version: users.version })
    .from(users)
    .where(sql`${anyOf(users.id, claims.map((a) => a.directoryId))} and ${users.deletedAt} is null`);
  const current = new Map(rows.map((r) => [r.id, r.version]));
  return new Set(claims.filter((a) => current.get(a.directoryId) !== a.desired.version));
}
