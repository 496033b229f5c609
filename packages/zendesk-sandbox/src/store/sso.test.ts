import { describe, expect, it } from 'vitest';
import { activeMethod, defaultSso, ExpiringIds, normalizeFingerprint } from './sso.ts';

describe('normalizeFingerprint', () => {
  it('accepts 32 hex pairs in any case, with or without colons', () => {
    const hex = 'ab'.repeat(32);
    const want = Array(32).fill('AB').join(':');
    expect(normalizeFingerprint(hex)).toBe(want);
    expect(normalizeFingerprint(Array(32).fill('aB').join(':'))).toBe(want);
  });
  it('refuses SHA-1 lengths and non-hex', () => {
    expect(normalizeFingerprint('ab'.repeat(20))).toBeNull();
    expect(normalizeFingerprint('zz'.repeat(32))).toBeNull();
  });
});

describe('ExpiringIds', () => {
  it('refuses an id seen before until it expires, and takes issued ids once', () => {
    const ids = new ExpiringIds();
    expect(ids.add('a', 2000, 1000)).toBe(true);
    expect(ids.add('a', 3000, 1500)).toBe(false);
    expect(ids.add('a', 5000, 2500)).toBe(true);
    expect(ids.take('a', 2600)).toBe(true);
    expect(ids.take('a', 2600)).toBe(false);
  });
  it('stays bounded', () => {
    const ids = new ExpiringIds(3);
    for (const id of ['a', 'b', 'c', 'd']) ids.add(id, 10_000, 0);
    expect(ids.has('a', 1)).toBe(false);
    expect(ids.has('d', 1)).toBe(true);
  });
});

describe('activeMethod', () => {
  it('is SAML first, then JWT, and none when no group uses SSO', () => {
    const s = defaultSso();
    s.saml.enabled = true;
    s.jwt.enabled = true;
    expect(activeMethod(s)).toBeNull();
    s.endUsers = true;
    expect(activeMethod(s)).toBe('saml');
    s.saml.enabled = false;
    expect(activeMethod(s)).toBe('jwt');
  });
});
