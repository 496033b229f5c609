import { describe, expect, it } from 'vitest';
import type { TargetUser } from '../../connectors/contract.ts';
import type { DesiredUser, UserLink } from '../diff/plan-types.ts';
import { type LinkClaim, checkIdentity, claimOf, mismatchMessage } from './identity-check.ts';

const DIR = '00000000-0000-4000-8000-000000000001';
const claim: LinkClaim = { targetId: '900', externalIds: [DIR], matchValues: [{ field: 'email', value: 'ada@example.com' }] };
const account = (over: Partial<TargetUser> = {}): TargetUser => ({ id: '900', externalId: DIR, email: 'ada@example.com', name: 'Ada', roleKey: 'agent', suspended: false, active: true, attributes: {}, ...over });

interface Case {
  name: string;
  account: TargetUser | null;
  claim?: LinkClaim;
  expect: { ok: true; by: string } | { ok: false; reason: string };
}

const cases: Case[] = [
  { name: 'match: the external id the link wrote', account: account(), expect: { ok: true, by: 'external_id' } },
  { name: 'match: external ids compare without case', account: account({ externalId: DIR.toUpperCase() }), expect: { ok: true, by: 'external_id' } },
  { name: 'match: email changed by hand, external id still ours', account: account({ email: 'hand@example.com' }), expect: { ok: true, by: 'external_id' } },
  { name: 'matched by email before the external id was written', account: account({ externalId: null }), expect: { ok: true, by: 'email' } },
  { name: 'matched by email, email case differs', account: account({ externalId: null, email: 'ADA@example.com' }), expect: { ok: true, by: 'email' } },
  { name: 'mismatch: another external id (same email)', account: account({ externalId: 'someone-else' }), expect: { ok: false, reason: 'external_id' } },
  { name: 'mismatch: no external id, another email, same id', account: account({ externalId: null, email: 'bob@example.com' }), expect: { ok: false, reason: 'no_evidence' } },
  { name: 'mismatch: no external id and no email', account: account({ externalId: null, email: null }), expect: { ok: false, reason: 'no_evidence' } },
  { name: 'mismatch: empty external id, another email', account: account({ externalId: '', email: 'bob@example.com' }), expect: { ok: false, reason: 'no_evidence' } },
  { name: 'missing: no account at that id', account: null, expect: { ok: false, reason: 'missing' } },
  { name: 'missing: the target answered another id', account: account({ id: '901' }), expect: { ok: false, reason: 'missing' } },
  { name: 'deleted: the id of a deleted account', account: account({ active: false }), expect: { ok: false, reason: 'deleted' } },
  { name: 'no matching attribute configured: no external id is no evidence', account: account({ externalId: null }), claim: { ...claim, matchValues: [] }, expect: { ok: false, reason: 'no_evidence' } },
  { name: 'a new external id the directory wants also counts', account: account({ externalId: 'emp-42' }), claim: { ...claim, externalIds: [DIR, 'emp-42'] }, expect: { ok: true, by: 'external_id' } },
];

describe('checkIdentity', () => {
  it.each(cases)('$name', (c) => {
    const verdict = checkIdentity(c.claim ?? claim, c.account);
    expect(verdict).toMatchObject(c.expect);
  });

  it('a mismatch carries both identities', () => {
    const verdict = checkIdentity(claim, account({ externalId: 'other', email: 'bob@example.com' }));
    expect(verdict).toEqual({
      ok: false,
      reason: 'external_id',
      expected: { targetId: '900', externalId: DIR, email: 'ada@example.com' },
      held: { targetId: '900', externalId: 'other', email: 'bob@example.com', active: true },
    });
    if (!verdict.ok) expect(mismatchMessage(verdict)).toContain('expected external id 00000000-0000-4000-8000-000000000001, email ada@example.com, the target holds external id other, email bob@example.com');
  });
});

describe('claimOf', () => {
  const link: UserLink = { directoryId: DIR, targetId: '900', lastHash: 'h', state: 'provisioned', lastWritten: { externalId: DIR, roleKey: 'agent', suspended: false, attributes: { email: 'old@example.com' } } };
  const desired = { directoryId: DIR, identity: 'new@example.com', externalId: 'emp-42', roleKey: 'agent', suspended: false, attributes: { email: 'new@example.com' }, createAttributes: {}, hash: 'h' } satisfies DesiredUser;

  it('accepts what was written and what the directory wants now, for the configured matching keys', () => {
    expect(claimOf(link, desired, ['external_id', 'email'])).toEqual({
      targetId: '900',
      externalIds: [DIR, 'emp-42'],
      matchValues: [
        { field: 'email', value: 'old@example.com' },
        { field: 'email', value: 'new@example.com' },
      ],
    });
  });

  it('a link with nothing written and no desired user still claims the directory id, the default external id', () => {
    expect(claimOf({ ...link, lastWritten: null }, undefined, ['external_id', 'email'])).toEqual({ targetId: '900', externalIds: [DIR], matchValues: [] });
  });

  it('email is evidence only when matching uses it', () => {
    expect(claimOf(link, undefined, ['external_id']).matchValues).toEqual([]);
  });
});
