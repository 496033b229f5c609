import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { anyOf, noneOf } from './any-of.ts';
import { users } from './schema.ts';

const fakeIds = (n: number): string[] => Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

describe.each(openTestDatabase.drivers())('anyOf on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(async () => t?.close());

  it('matches among 100,000 ids in one statement (far past the 65,535-parameter ceiling)', async () => {
    const db = t.database.db;
    const rows = await db.insert(users).values([{ email: 'a@x.test', displayName: 'A' }, { email: 'b@x.test', displayName: 'B' }]).returning({ id: users.id });
    const [a, b] = rows.map((r) => r.id) as [string, string];
    const found = await db.select({ id: users.id }).from(users).where(anyOf(users.id, [...fakeIds(100_000), a]));
    expect(found.map((r) => r.id)).toEqual([a]);
    const others = await db.select({ id: users.id }).from(users).where(noneOf(users.id, [...fakeIds(100_000), a]));
    expect(others.map((r) => r.id)).toEqual([b]);
    expect(await db.select({ id: users.id }).from(users).where(anyOf(users.id, []))).toEqual([]);
    expect((await db.select({ id: users.id }).from(users).where(noneOf(users.id, []))).length).toBe(2);
  });

  it('round-trips text values with quotes, backslashes, commas and braces', async () => {
    const values = ['plain', 'NULL', 'a,b', 'say "hi"', 'back\\slash', '{braces}', 'ünï', ''];
    const rows = (await t.database.db.execute(sql`select count(*)::int as n from unnest(array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]) v where ${anyOf(sql`v`, values, 'text')}`)) as unknown as { rows: { n: number }[] };
    expect(rows.rows[0]?.n).toBe(values.length);
  });
});
