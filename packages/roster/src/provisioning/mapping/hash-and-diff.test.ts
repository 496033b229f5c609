import { describe, expect, it } from 'vitest';
import { diffAttributes } from './diff-attributes.ts';
import { hashAttributes } from './hash-attributes.ts';

describe('hashAttributes', () => {
  const base = { name: 'Zoë', email: 'z@example.com', tags: ['a', 'b'], 'user_fields.level': 3, phone: null };

  it.each<[string, Record<string, unknown>]>([
    ['keys in another order', { phone: null, 'user_fields.level': 3, tags: ['a', 'b'], email: 'z@example.com', name: 'Zoë' }],
    ['a decomposed ë (NFD)', { ...base, name: 'Zoe\u0308' }],
    ['an extra undefined key', { ...base, alias: undefined }],
    ['-0 instead of 0', { ...base, 'user_fields.level': 3, x: undefined }],
  ])('is the same for %s', (_case, other) => {
    expect(hashAttributes(other)).toBe(hashAttributes(base));
  });

  it.each<[string, Record<string, unknown>]>([
    ['another name', { ...base, name: 'Zoe' }],
    ['null replaced by empty tags', { ...base, phone: [] }],
    ['tags in another order', { ...base, tags: ['b', 'a'] }],
    ['a number as a string', { ...base, 'user_fields.level': '3' }],
    ['a key removed', { name: 'Zoë', email: 'z@example.com', tags: ['a', 'b'], 'user_fields.level': 3 }],
  ])('differs for %s', (_case, other) => {
    expect(hashAttributes(other)).not.toBe(hashAttributes(base));
  });

  it('is a sha256 hex digest, stable across runs', () => {
    expect(hashAttributes({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    expect(hashAttributes({ a: 0 })).toBe(hashAttributes({ a: -0 }));
  });
});

describe('diffAttributes', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, ReturnType<typeof diffAttributes>]>([
    ['nothing changed', { name: 'A', tags: ['x'] }, { tags: ['x'], name: 'A' }, []],
    ['a rename', { name: 'A', email: 'a@x' }, { name: 'B', email: 'a@x' }, [{ property: 'name', old: 'A', new: 'B' }]],
    ['a field set for the first time', { name: 'A' }, { name: 'A', phone: '+1' }, [{ property: 'phone', old: null, new: '+1' }]],
    ['a field cleared', { name: 'A', phone: '+1' }, { name: 'A', phone: null }, [{ property: 'phone', old: '+1', new: null }]],
    ['Unicode spelling only', { name: 'Zoe\u0308' }, { name: 'Zoë' }, []],
    ['tags reordered', { tags: ['a', 'b'] }, { tags: ['b', 'a'] }, [{ property: 'tags', old: ['a', 'b'], new: ['b', 'a'] }]],
    ['a number type change', { level: 3 }, { level: '3' }, [{ property: 'level', old: 3, new: '3' }]],
    ['a key only in old is left alone', { name: 'A', notes: 'x' }, { name: 'A' }, []],
    ['several, sorted by property', { z: 1, a: 1 }, { z: 2, a: 2 }, [{ property: 'a', old: 1, new: 2 }, { property: 'z', old: 1, new: 2 }]],
  ])('%s', (_case, before, after, expected) => {
    expect(diffAttributes(before, after)).toEqual(expected);
  });

  it('reports removed keys as cleared when asked', () => {
    expect(diffAttributes({ name: 'A', notes: 'x' }, { name: 'A' }, { includeRemoved: true })).toEqual([{ property: 'notes', old: 'x', new: null }]);
  });
});
