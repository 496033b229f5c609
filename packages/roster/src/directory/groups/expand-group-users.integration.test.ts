import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { systemPrincipal } from '../../admins/permissions.ts';
import { eq } from 'drizzle-orm';
import { groupMembers, users } from '../../db/schema.ts';
import { deleteGroup } from './delete-group.ts';
import { expandGroupUsers, usersByGroup } from './expand-group-users.ts';
import { insertGroup, insertUser } from './test-fixtures.ts';

describe.each(openTestDatabase.drivers())('expandGroupUsers on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(async () => t?.close());

  it('reaches users through any depth of nesting, each once', async () => {
    const db = t.database.db;
    const [ann, bob, cat, dan] = [await insertUser(db, 'Ann'), await insertUser(db, 'Bob'), await insertUser(db, 'Cat'), await insertUser(db, 'Dan')];
    const leaf = await insertGroup(db, 'Leaf', { users: [cat!, ann!] });
    const mid = await insertGroup(db, 'Mid', { users: [bob!], groups: [leaf] });
    const top = await insertGroup(db, 'Top', { users: [ann!], groups: [mid] });
    const other = await insertGroup(db, 'Other', { users: [dan!] });

    expect((await expandGroupUsers(db, [top])).sort()).toEqual([ann, bob, cat].sort());
    expect((await expandGroupUsers(db, [leaf, other])).sort()).toEqual([ann, cat, dan].sort());
    expect(await expandGroupUsers(db, [])).toEqual([]);

    const byGroup = await usersByGroup(db, [top, leaf], [bob!, cat!]);
    expect(byGroup.get(top)?.sort()).toEqual([bob, cat].sort());
    expect(byGroup.get(leaf)).toEqual([cat]);
  });

  it('skips deleted users and does not go through deleted groups', async () => {
    const db = t.database.db;
    const [eve, fay] = [await insertUser(db, 'Eve'), await insertUser(db, 'Fay')];
    const inner = await insertGroup(db, 'Inner', { users: [fay!] });
    const outer = await insertGroup(db, 'Outer', { users: [eve!], groups: [inner] });
    expect((await expandGroupUsers(db, [outer])).sort()).toEqual([eve, fay].sort());

    await db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, eve!));
    await deleteGroup(db, systemPrincipal, inner, undefined);
    expect(await expandGroupUsers(db, [outer])).toEqual([]);
    expect(await expandGroupUsers(db, [inner])).toEqual([]);
  });

  it('ends on data that holds a cycle (written around the service)', async () => {
    const db = t.database.db;
    const gil = await insertUser(db, 'Gil');
    const a = await insertGroup(db, 'A', { users: [gil] });
    const b = await insertGroup(db, 'B', { groups: [a] });
    await db.insert(groupMembers).values({ groupId: a, memberType: 'group', memberId: b });
    expect(await expandGroupUsers(db, [b])).toEqual([gil]);
  });
});
