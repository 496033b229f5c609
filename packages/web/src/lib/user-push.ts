/**
 * What happened to a user's change in each application after a save: the user page shows this in
 * place of a bare "Saved.", so a push that failed in the target is seen right away (and in the
 * Applications panel), not discovered later in the log.
 */
import { actionSentence, codeSentence } from './words.ts';

export interface AppState {
  applicationId: string;
  displayName: string;
  provisioningEnabled: boolean;
  assigned: boolean;
  targetId: string | null;
  lastEvent: { at: string; action: string; objectType: string; status: string; errorCode: string | null; errorMessage: string | null; advice: string | null } | null;
  escrow: { nextAttemptAt: string } | null;
}

export type PushOutcome =
  | { kind: 'saved' }
  | { kind: 'sending'; apps: string[] }
  | { kind: 'sent'; apps: string[] }
  | { kind: 'failed'; failures: { app: string; what: string; advice: string | null; nextRetry: string | null }[] };

/** Applications that act on a change to this user: switched on, and assigned or holding their account. */
const watching = (a: AppState) => a.provisioningEnabled && (a.assigned || a.targetId !== null);

/** The outcome of a save at `savedAt` (ISO), from the applications' states read since. */
export function pushOutcome(apps: readonly AppState[], savedAt: string): PushOutcome {
  const since = Date.parse(savedAt);
  const relevant = apps.filter(watching);
  if (relevant.length === 0) return { kind: 'saved' };
  const after = (a: AppState) => (a.lastEvent && Date.parse(a.lastEvent.at) >= since ? a.lastEvent : null);
  const failures = relevant.flatMap((a) => {
    const e = after(a);
    if (!e || e.status !== 'failed') return [];
    const cause = e.errorMessage ?? (e.errorCode ? codeSentence(e.errorCode) : 'failed');
    return [{ app: a.displayName, what: `${actionSentence(e.action, e.objectType)} failed: ${cause}`, advice: e.advice, nextRetry: a.escrow?.nextAttemptAt ?? null }];
  });
  if (failures.length) return { kind: 'failed', failures };
  const waiting = relevant.filter((a) => !after(a));
  if (waiting.length) return { kind: 'sending', apps: waiting.map((a) => a.displayName) };
  return { kind: 'sent', apps: relevant.map((a) => a.displayName) };
}
