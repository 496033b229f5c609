import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { links } from '../../db/provisioning-schema.ts';
import { applications } from '../../db/schema.ts';
import { readUserLinks, saveUserLinks, type LinkWrite } from './user-links.ts';

const write = (directoryId: string, targetId: string, lastHash = 'h1'): LinkWrite => ({ directoryId, targetId, lastHash, lastWritten: null, state: 'provisioned' });

describe.each(openTestDatabase.drivers())('saving many user links on %s', (driver) => {
  let t: TestDatabase;
  let appA: string;
  let appB: string;
  const dirs = Array.from({ length: 3000 }, () => randomUUID());

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    const rows = await t.database.db.insert(applications).values([{ type: 'zendesk', displayName: 'A' }, { type: 'zendesk', displayName: 'B' }]).returning({ id: applications.id });
    appA = rows[0]!.id;
    appB = rows[1]!.id;
    for (let i = 0; i < dirs.length; i += 500) await saveUserLinks(t.database.db, appA, dirs.slice(i, i + 500).map((d, k) => write(d, `t${i + k}`)));
    await saveUserLinks(t.database.db, appB, [write(randomUUID(), 't0')]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('moves accounts held by other users to the new ones, updates the rest, and leaves other links and applications alone', async () => {
    const newcomers = Array.from({ length: 10 }, () => randomUUID());
    // 10 accounts taken over by new directory users (their old holders are not in the batch), 30 links rewritten in place.
    const batch = [...newcomers.map((d, i) => write(d, `t${i}`, 'h2')), ...dirs.slice(100, 130).map((d, i) => write(d, `t${100 + i}`, 'h2'))];
    expect(await saveUserLinks(t.database.db, appA, batch)).toEqual([]);
    const all = await readUserLinks(t.database.db, appA);
    expect(all).toHaveLength(3000);
    const byDir = new Map(all.map((l) => [l.directoryId, l]));
    for (const [i, d] of newcomers.entries()) expect(byDir.get(d)?.targetId).toBe(`t${i}`);
    for (const d of dirs.slice(0, 10)) expect(byDir.has(d)).toBe(false);
    for (const [i, d] of dirs.slice(100, 130).entries()) expect(byDir.get(d)).toMatchObject({ targetId: `t${100 + i}`, lastHash: 'h2' });
    expect(byDir.get(dirs[10]!)).toMatchObject({ targetId: 't10', lastHash: 'h1' });
    expect(byDir.get(dirs[2999]!)).toMatchObject({ targetId: 't2999', lastHash: 'h1' });
    const other = await t.database.db.select().from(links).where(and(eq(links.applicationId, appB), eq(links.targetId, 't0')));
    expect(other).toHaveLength(1);
  });
});
