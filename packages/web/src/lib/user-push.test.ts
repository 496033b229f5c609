import { describe, expect, it } from 'vitest';
import { type AppState, pushOutcome } from './user-push.ts';

const app = (over: Partial<AppState>): AppState => ({ applicationId: 'a', displayName: 'Support', provisioningEnabled: true, assigned: true, targetId: '1', lastEvent: null, escrow: null, ...over });
const savedAt = '2026-12-07T01:00:00.000Z';
const event = (at: string, status: string, extra: Partial<NonNullable<AppState['lastEvent']>> = {}) => ({ at, action: 'update', objectType: 'user', status, errorCode: null, errorMessage: null, advice: null, ...extra });

describe('what a save did in each application', () => {
  it('a failed push after the save names the app, the action, the cause and the next retry', () => {
    const failed = app({ lastEvent: event('2026-12-07T01:00:02Z', 'failed', { errorCode: 'zendesk.record_invalid', errorMessage: 'Email is invalid', advice: 'Fix the email.' }), escrow: { nextAttemptAt: '2026-12-07T01:05:00Z' } });
    expect(pushOutcome([failed], savedAt)).toEqual({ kind: 'failed', failures: [{ app: 'Support', what: 'Update user failed: Email is invalid', advice: 'Fix the email.', nextRetry: '2026-12-07T01:05:00Z' }] });
  });

  it('waits for events newer than the save; an older failure does not count', () => {
    expect(pushOutcome([app({ lastEvent: event('2026-12-07T00:59:00Z', 'failed') })], savedAt)).toEqual({ kind: 'sending', apps: ['Support'] });
    expect(pushOutcome([app({ lastEvent: event('2026-12-07T01:00:01Z', 'success') })], savedAt)).toEqual({ kind: 'sent', apps: ['Support'] });
  });

  it('applications that are off or do not concern the user are left out', () => {
    expect(pushOutcome([app({ provisioningEnabled: false }), app({ assigned: false, targetId: null })], savedAt)).toEqual({ kind: 'saved' });
    expect(pushOutcome([], savedAt)).toEqual({ kind: 'saved' });
  });
});
