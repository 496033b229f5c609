/**
 * The identity check again, just before the write. The plan checked each account when it read the
 * target, but a run can take minutes under faults, and an account can change identity meanwhile (a
 * reset or restored target hands its ids to other people). The accounts of a chunk about to be
 * written are read once more (one request per 100); one that no longer proves the claim the plan
 * recorded is dropped like any mismatch — logged with both identities, never written — and its user
 * is planned again at once.
 */
import type { ConnectorError } from '../../connectors/contract.ts';
import { checkIdentity, mismatchMessage, MISMATCH_ADVICE } from '../links/identity-check.ts';
import type { PlanAction } from '../diff/plan-types.ts';
import type { ApplyDeps } from './apply-plan.ts';
import { callWithRetry } from './call-with-retry.ts';
import { type Outcome, failed, mismatched } from './outcome.ts';

export async function recheckAccounts<A extends PlanAction>(deps: Pick<ApplyDeps, 'connection' | 'sleep'>, actions: readonly A[]): Promise<{ keep: A[]; outcomes: Outcome[] }> {
  const claimed = actions.filter((a) => a.claim !== undefined);
  if (claimed.length === 0) return { keep: [...actions], outcomes: [] };
  const read = await callWithRetry(() => deps.connection.users.getMany([...new Set(claimed.map((a) => a.claim!.targetId))]), { sleep: deps.sleep });
  if (!read.ok) return { keep: actions.filter((a) => a.claim === undefined), outcomes: claimed.map((a) => failed(a, read.error, 0)) };
  const byId = new Map(read.value.map((t) => [t.id, t]));
  const keep: A[] = [];
  const outcomes: Outcome[] = [];
  for (const a of actions) {
    const verdict = a.claim === undefined ? null : checkIdentity(a.claim, byId.get(a.claim.targetId));
    if (verdict === null || verdict.ok) {
      keep.push(a);
      continue;
    }
    const m = { reason: verdict.reason, expected: verdict.expected, held: verdict.held };
    const error: ConnectorError = { code: 'link_mismatch', class: 'transient', message: mismatchMessage(m), advice: MISMATCH_ADVICE };
    outcomes.push({ ...mismatched(a, m), retry: { directoryId: a.directoryId, error } });
  }
  return { keep, outcomes };
}
