import SCIMMY from 'scimmy';
import { describe, expect, it } from 'vitest';
import { clause, filtersFor, holds, matchPath, quote } from './filter.ts';

/** SCIMMY's filter parser and matcher: an independent reading of RFC 7644 §3.4.2.2. */
const matches = (filter: string, records: Record<string, unknown>[]) => new SCIMMY.Types.Filter(filter).match(records);

describe('SCIM filters', () => {
  it('quotes values as JSON strings', () => {
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(clause('userName', 'x@y.com')).toBe('userName eq "x@y.com"');
    expect(clause('emails', 'x@y.com')).toBe('emails[value eq "x@y.com"]');
  });

  it('maps matchable fields to SCIM attributes and refuses others as a configuration error', () => {
    expect(matchPath('external_id')).toEqual({ ok: true, value: 'externalId' });
    expect(matchPath('email')).toEqual({ ok: true, value: 'emails' });
    const r = matchPath('phone');
    expect(r.ok ? null : r.error).toMatchObject({ code: 'scim.unsupported_match_field', class: 'configuration' });
  });

  it('asks each value as given and lower-cased, or-joined, and a SCIM parser finds the accounts', () => {
    const [f] = filtersFor('emails', ['Ada@Example.com', 'bob@example.com', 'ada@example.com', ''], 50);
    expect(f).toBe('emails[value eq "Ada@Example.com"] or emails[value eq "ada@example.com"] or emails[value eq "bob@example.com"]');
    const records = [
      { id: '1', emails: [{ value: 'ada@example.com' }] },
      { id: '2', emails: [{ value: 'bob@example.com' }] },
      { id: '3', emails: [{ value: 'eve@example.com' }] },
    ];
    expect(matches(f ?? '', records).map((r) => r.id)).toEqual(['1', '2']);
    expect(filtersFor('id', ['AbC'], 10)).toEqual(['id eq "AbC"']);
  });

  it('cuts many values into requests by count and by length, keeping a value whole', () => {
    const values = Array.from({ length: 120 }, (_, i) => `user-${i}`);
    const byCount = filtersFor('externalId', values, 50, 100_000);
    expect(byCount.map((f) => f.split(' or ').length)).toEqual([50, 50, 20]);
    const byLength = filtersFor('externalId', values, 1000, 300);
    expect(byLength.every((f) => f.length <= 300)).toBe(true);
    expect(byLength.flatMap((f) => f.split(' or '))).toHaveLength(120);
    const mixed = filtersFor('userName', ['ABC', 'def'], 1);
    expect(mixed).toEqual(['userName eq "ABC" or userName eq "abc"', 'userName eq "def"']);
    for (const f of [...byCount, ...byLength, ...mixed]) expect(() => new SCIMMY.Types.Filter(f)).not.toThrow();
  });

  it('matches answers again exactly and case-insensitively (apps compare as they like)', () => {
    expect(holds({ userName: 'Ada@Example.com' }, 'userName', 'ada@example.COM')).toBe(true);
    expect(holds({ userName: 'ada@example.com.evil' }, 'userName', 'ada@example.com')).toBe(false);
    expect(holds({ emails: [{ value: 'x@y.com' }, { value: 'Ada@x.com' }] }, 'emails', 'ada@x.com')).toBe(true);
    expect(holds({ id: 'Ab' }, 'id', 'ab')).toBe(false);
  });
});

describe('email searches for apps with fewer filters', () => {
  it('writes emails.value or userName when the connection says so, and matches the answers the same way', () => {
    const dotted = matchPath('email', 'emails.value');
    expect(dotted).toEqual({ ok: true, value: 'emails.value' });
    const [f] = filtersFor('emails.value', ['Ada@x.com'], 10);
    expect(f).toBe('emails.value eq "Ada@x.com" or emails.value eq "ada@x.com"');
    expect(matches(f ?? '', [{ id: '1', emails: [{ value: 'ada@x.com' }] }, { id: '2', emails: [{ value: 'bob@x.com' }] }]).map((r) => r.id)).toEqual(['1']);
    expect(holds({ emails: [{ value: 'ADA@x.com' }] }, 'emails.value', 'ada@x.com')).toBe(true);
    expect(matchPath('email', 'userName')).toEqual({ ok: true, value: 'userName' });
    expect(matchPath('external_id', 'userName')).toEqual({ ok: true, value: 'externalId' });
  });
});
