/**
 * The accounts a run's user apply confirmed, known as the target answers — before the engine has
 * recorded them (one transaction per batch, which takes a while for 1,000 results). The group apply
 * of the same run adds memberships from them as soon as every user write has its answer, so the
 * target works on the memberships while the last users are recorded, instead of waiting idle.
 */
import type { Outcome } from './outcome.ts';

export interface PlacedUsers {
  /** Outcomes as they are handed to the record (before it runs). */
  note(outcomes: readonly Outcome[]): void;
  /** Every user write has its answer; `ok` false (a configuration error, the run stopped or lost its lease): no early start. */
  settle(ok: boolean): void;
  /**
   * Once every user write has its answer: directory user → the account confirmed for them in this
   * run, or null for a user whose link this run dropped; the whole answer null when the group apply
   * must wait for the users' records instead. An account confirmed for two users is in neither.
   */
  written: Promise<ReadonlyMap<string, string | null> | null>;
}

export function createPlacedUsers(): PlacedUsers {
  const accounts = new Map<string, string>();
  const holders = new Map<string, number>();
  const dropped = new Set<string>();
  let stop = false;
  let resolve: (v: ReadonlyMap<string, string | null> | null) => void = () => undefined;
  const written = new Promise<ReadonlyMap<string, string | null> | null>((r) => (resolve = r));
  return {
    note(outcomes) {
      for (const o of outcomes) {
        if (o.failure?.error.class === 'configuration') stop = true;
        if (o.unlink !== undefined) dropped.add(o.unlink);
        if (!o.link) continue;
        accounts.set(o.link.directoryId, o.link.targetId);
        holders.set(o.link.targetId, (holders.get(o.link.targetId) ?? 0) + 1);
      }
    },
    settle(ok) {
      if (!ok || stop) return resolve(null);
      // As the record does (user-links.ts saveUserLinks): an account answered for two users links neither.
      const out = new Map<string, string | null>();
      for (const [directoryId, targetId] of accounts) if (holders.get(targetId) === 1) out.set(directoryId, targetId);
      for (const directoryId of dropped) out.set(directoryId, null);
      resolve(out);
    },
    written,
  };
}
