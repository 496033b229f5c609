import { describe, expect, it } from 'vitest';
import { type EventRow, type RecordedWrite, judgeWrites } from './write-audit.ts';

const ADA = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';
const T0 = Date.parse('2026-12-07T01:00:00.000Z');
/** Ada was ada.older@, then ada.old@ from a minute before the writes, and is ada@ since an hour after. */
const history = [
  { at: new Date(T0 - 3_600_000), email: 'ada.older@example.com' },
  { at: new Date(T0 - 60_000), email: 'ada.old@example.com' },
  { at: new Date(T0 + 3_600_000), email: 'ada@example.com' },
];
const directory = [
  { id: ADA, email: 'ada@example.com', history },
  { id: BOB, email: 'bob@example.com' },
];
const before = (external_id: string | null, email = 'ada.old@example.com') => ({ id: 123, external_id, email, name: 'x', suspended: false, active: true });
const write = (over: Partial<RecordedWrite>): RecordedWrite => ({ seq: 1, at: new Date(T0).toISOString(), method: 'PUT', path: '/api/v2/users/update_many', kind: 'user.update', userId: 123, before: before(ADA), body: { name: 'Ada' }, ...over });
const event = (directory_id: string, target_id: string, object_type = 'user', afterMs = 500): EventRow => ({ directory_id, target_id, object_type, at: new Date(T0 + afterMs) });

describe('judgeWrites: no write of Roster’s reaches an account whose identity does not match', () => {
  it.each<[string, RecordedWrite, EventRow[], number, number]>([
    ['update of the account the event names → pass', write({}), [event(ADA, '123')], 0, 0],
    ['update meant for Ada landing on Bob’s account (a reused id) → problem', write({ before: before(BOB, 'bob@example.com') }), [event(ADA, '123')], 1, 0],
    ['an account matched by email, the write claims it with Ada’s external id → pass', write({ before: before(null), body: { external_id: ADA, name: 'Ada' } }), [event(ADA, '123')], 0, 0],
    ['an account without external id, the write does not claim it → problem', write({ before: before(null) }), [event(ADA, '123')], 1, 0],
    ['an account without external id whose email is someone else’s, claimed for Ada → problem', write({ before: before(null, 'eve@example.com'), body: { external_id: ADA } }), [event(ADA, '123')], 1, 0],
    ['a delete of an account without external id → problem', write({ kind: 'user.delete', before: before(null), body: { external_id: ADA } }), [event(ADA, '123')], 1, 0],
    ['an event logged before the write (older than the skew) does not attribute it; the body does', write({ body: { external_id: ADA } }), [event(BOB, '123', 'user', -60_000)], 0, 0],
    ['no event (the worker died), the account holds a directory id → pass, unattributed', write({}), [], 0, 1],
    ['no event, the account holds a foreign external id → problem', write({ before: before('crm-42') }), [], 1, 1],
    ['a membership delete of the account the event names → pass', write({ kind: 'membership.delete', method: 'DELETE', path: '/api/v2/group_memberships/77', body: { id: 77, user_id: 123, group_id: 5 } }), [event(ADA, '77', 'membership')], 0, 0],
    ['a membership delete meant for Ada on Bob’s account → problem', write({ kind: 'membership.delete', before: before(BOB, 'bob@example.com'), body: { id: 77 } }), [event(ADA, '77', 'membership')], 1, 0],
    ['a membership create attributed by the membership it made, on Ada’s account → pass', write({ kind: 'membership.create', method: 'POST', path: '/api/v2/group_memberships', body: { user_id: 123, group_id: 5 }, createdId: 78 }), [event(ADA, '78', 'membership')], 0, 0],
    ['a membership create meant for Ada (by the membership it made) on Bob’s account → problem', write({ kind: 'membership.create', method: 'POST', path: '/api/v2/group_memberships', before: before(BOB, 'bob@example.com'), body: { user_id: 123, group_id: 5 }, createdId: 78 }), [event(ADA, '78', 'membership')], 1, 0],
    ['a membership create on an account without external id → problem', write({ kind: 'membership.create', before: before(null), body: { user_id: 123, group_id: 5 } }), [], 1, 1],
    ['a write made by hand (chaos_hand=1) is left out', write({ path: '/api/v2/users/123?chaos_hand=1', before: before(BOB) }), [event(ADA, '123')], 0, 0],
    ['a write of another kind (create) is not checked', write({ kind: 'user.create', before: null }), [], 0, 0],
    ['a claim by the email Ada held then (she changed it later) → pass', write({ before: before(null, 'ada.old@example.com'), body: { external_id: ADA } }), [event(ADA, '123')], 0, 0],
    ['a claim by an email Ada had left a minute before the write → problem', write({ before: before(null, 'ada.older@example.com'), body: { external_id: ADA } }), [event(ADA, '123')], 1, 0],
  ])('%s', (_name, w, events, problems, unattributed) => {
    const audit = judgeWrites([w], events, directory);
    expect(audit.problems).toHaveLength(problems);
    expect(audit.unattributed).toBe(unattributed);
  });
});
