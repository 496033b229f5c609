import { describe, expect, it } from 'vitest';
import { PgDialect } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { anyOf, arrayLiteral, inSlices, noneOf, rowsPerInsert } from './any-of.ts';
import { users } from './schema.ts';

const dialect = new PgDialect();

describe('anyOf', () => {
  it('binds one parameter however many values', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const q = dialect.sqlToQuery(sql`select 1 from users where ${anyOf(users.id, ids)}`);
    expect(q.params).toHaveLength(1);
    expect(q.sql).toBe('select 1 from users where "users"."id" = any($1::uuid[])');
    expect(dialect.sqlToQuery(noneOf(users.email, ['a'], 'text')).sql).toBe('"users"."email" <> all($1::text[])');
  });

  it('quotes every element, escaping quotes and backslashes', () => {
    expect(arrayLiteral([])).toBe('{}');
    expect(arrayLiteral(['a', 'NULL', 'b,c', 'd"e', 'f\\g', '{h}'])).toBe('{"a","NULL","b,c","d\\"e","f\\\\g","{h}"}');
  });
});

describe('rowsPerInsert and inSlices', () => {
  it('keeps rows × columns under the protocol ceiling', () => {
    for (const columns of [1, 4, 7, 14, 40]) expect(rowsPerInsert(columns) * columns).toBeLessThan(65_535);
    expect(inSlices([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(inSlices([], 2)).toEqual([]);
  });
});
