import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { systemPrincipal } from '../../admins/permissions.ts';
import { users } from '../../db/schema.ts';
import { deleteGroup } from '../groups/delete-group.ts';
import { insertGroup, insertUser } from '../groups/test-fixtures.ts';
import { bulkAssign } from './bulk-assign.ts';
import { createApp } from './create-app.ts';
import { createAssignment } from './create-assignment.ts';
import { deleteApp } from './delete-app.ts';
import { effectiveAssignments } from './effective-assignments.ts';

describe.each(openTestDatabase.drivers())('effectiveAssignments on %s', (driver) => {
  let t: TestDatabase;
  let n = 0;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(async () => t?.close());

  const newApp = async () => (await createApp(t.database.db, systemPrincipal, { type: 'zendesk', displayName: 'Z', settings: { subdomain: `eff-${++n}` } })).id;

  it('gives each covered user one role: direct wins, then the highest group role', async () => {
    const db = t.database.db;
    const app = await newApp();
    const [ann, bob, cat, dan, eve] = await Promise.all(['Ann', 'Bob', 'Cat', 'Dan', 'Eve'].map((x) => insertUser(db, x)));
    const leaf = await insertGroup(db, 'Leaf', { users: [cat!, dan!] });
    const agents = await insertGroup(db, 'Agents', { users: [ann!, bob!], groups: [leaf] });
    const light = await insertGroup(db, 'Light', { users: [bob!, dan!] });
    const ends = await insertGroup(db, 'Ends', { users: [eve!, dan!] });
    await insertUser(db, 'Unassigned');

    const ids = (
      await bulkAssign(db, systemPrincipal, app, [
        { principalType: 'group', principalId: agents, role: 'agent' },
        { principalType: 'group', principalId: light, role: 'custom:7', roleLabel: 'Light agent' },
        { principalType: 'group', principalId: ends, role: 'end-user' },
        { principalType: 'user', principalId: ann!, role: 'default-access' },
      ])
    ).items;
    const idOf = (principalId: string) => ids.find((i) => i.principalId === principalId)!.id;

    const byUser = new Map((await effectiveAssignments(db, app)).map((e) => [e.userId, e]));
    expect(byUser.size).toBe(5);
    expect(byUser.get(ann!)).toEqual({ userId: ann, role: 'default-access', roleLabel: 'Default Access', via: { assignmentId: idOf(ann!), principalType: 'user', principalId: ann } });
    expect(byUser.get(bob!)).toMatchObject({ role: 'agent', via: { principalId: agents } });
    expect(byUser.get(cat!)).toMatchObject({ role: 'agent', via: { principalType: 'group', principalId: agents } });
    expect(byUser.get(dan!)).toMatchObject({ role: 'agent', via: { assignmentId: idOf(agents) } });
    expect(byUser.get(eve!)).toMatchObject({ role: 'end-user', via: { principalId: ends } });

    const some = await effectiveAssignments(db, app, { userIds: [eve!, dan!] });
    expect(some.map((e) => e.userId).sort()).toEqual([dan, eve].sort());
    expect(await effectiveAssignments(db, app, { userIds: [] })).toEqual([]);

    // Take the agents group away: Dan falls back to the custom role, Cat to nothing.
    await deleteGroup(db, systemPrincipal, agents, undefined);
    const after = new Map((await effectiveAssignments(db, app)).map((e) => [e.userId, e]));
    expect(after.get(dan!)).toMatchObject({ role: 'custom:7', roleLabel: 'Light agent' });
    expect(after.get(bob!)).toMatchObject({ role: 'custom:7' });
    expect(after.has(cat!)).toBe(false);
  });

  it('keeps inactive users and drops deleted ones', async () => {
    const db = t.database.db;
    const app = await newApp();
    const inactive = await insertUser(db, 'Sleeper', { status: 'inactive' });
    const gone = await insertUser(db, 'Gone');
    await createAssignment(db, systemPrincipal, app, { principalType: 'user', principalId: inactive, role: 'agent' });
    await createAssignment(db, systemPrincipal, app, { principalType: 'user', principalId: gone, role: 'agent' });
    await db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, gone));
    expect((await effectiveAssignments(db, app)).map((e) => e.userId)).toEqual([inactive]);
  });

  it('refuses a deleted application', async () => {
    const app = await newApp();
    await deleteApp(t.database.db, systemPrincipal, app, undefined);
    await expect(effectiveAssignments(t.database.db, app)).rejects.toMatchObject({ code: 'not_found' });
  });
});
