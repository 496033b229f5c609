import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupMembers, groups, importRuns, outbox, users } from '../../db/schema.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { createTestAdmin, openTestApp, type TestApp } from '../../../test/test-app.ts';

describe.each(openTestDatabase.drivers())('imports on %s', (driver) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await openTestApp(driver);
  });
  afterAll(async () => h?.close());

  const csv = (url: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, payload: body, headers: { ...h.owner.headers, 'content-type': 'text/csv', ...headers } });
  const userCount = async () => (await h.ctx.db.select({ n: count() }).from(users).where(sql`deleted_at is null`))[0]?.n ?? 0;

  it('imports users with auto-mapped headers, reports per-row errors, and records the run', async () => {
    const body = [
      'First Name,Last Name,E-mail,Employee ID,Department,Manager,Shoe size',
      'Ada,Lovelace,ada@imp.test,E100,Math,,42',
      'Alan,Turing,alan@imp.test,E101,Math,ada@imp.test,44',
      'Bad,Row,not-an-email,E102,Math,,40',
      'Short,Row',
      'Grace,Hopper,grace@imp.test,E103,Navy,E101,38',
      'Ghost,Boss,ghost@imp.test,E104,Navy,nobody@imp.test,39',
      'Ada,Again,ADA@imp.test,E105,Math,,1',
    ].join('\n');
    const r = await csv('/api/users/import', body);
    expect(r.statusCode).toBe(200);
    const s = r.json();
    expect(s.counts).toMatchObject({ rows: 7, created: 3, failed: 4 });
    expect(s.ignoredColumns).toEqual(['Shoe size']);
    expect(s.errors).toEqual([
      { row: 4, field: 'email', reason: expect.any(String) },
      { row: 5, reason: 'has 2 columns where the header has 7' },
      { row: 8, field: 'email', reason: 'the same email as row 2' },
      { row: 7, field: 'manager', reason: 'no user has this email or employee id' },
    ]);
    const [grace] = await h.ctx.db.select().from(users).where(eq(users.email, 'grace@imp.test'));
    const [alan] = await h.ctx.db.select().from(users).where(eq(users.email, 'alan@imp.test'));
    expect(grace?.managerId).toBe(alan?.id);
    expect(alan?.displayName).toBe('Alan Turing');
    const [run] = await h.ctx.db.select().from(importRuns).where(eq(importRuns.id, s.importRunId));
    expect(run).toMatchObject({ status: 'completed', kind: 'users', dryRun: false, counts: { created: 3, failed: 4 } });
    const created = await h.ctx.db.select({ n: count() }).from(outbox).where(sql`entity_type = 'user' and op = 'created'`);
    expect(created[0]?.n).toBe(3);
  });

  it('updates by email, leaves unchanged rows alone, and a dry run writes nothing', async () => {
    const body = 'email,title,status\nada@imp.test,Countess,inactive\nalan@imp.test,,\nnew@imp.test,Intern,\n';
    const before = await userCount();
    const outboxBefore = (await h.ctx.db.select({ n: count() }).from(outbox))[0]?.n;
    const dry = (await csv('/api/users/import?dryRun=true', body)).json();
    expect(dry.counts).toMatchObject({ rows: 3, updated: 1, unchanged: 1, created: 1 });
    expect(dry.changes.map((c: { row: number; action: string }) => [c.row, c.action])).toEqual([[2, 'updated'], [4, 'created']]);
    expect(await userCount()).toBe(before);
    expect((await h.ctx.db.select({ n: count() }).from(outbox))[0]?.n).toBe(outboxBefore);
    const real = (await csv('/api/users/import', body)).json();
    expect(real.counts).toMatchObject({ updated: 1, unchanged: 1, created: 1 });
    const [ada] = await h.ctx.db.select().from(users).where(eq(users.email, 'ada@imp.test'));
    expect(ada).toMatchObject({ jobTitle: 'Countess', status: 'inactive', version: 2 });
    const ops = await h.ctx.db.select({ op: outbox.op }).from(outbox).where(eq(outbox.entityId, ada!.id));
    expect(ops.map((o) => o.op)).toEqual(['created', 'updated', 'deactivated']);
  });

  it('matches by employee id with an explicit mapping and refuses a manager cycle', async () => {
    const mapping = encodeURIComponent(JSON.stringify({ Staff: 'employeeId', Boss: 'manager' }));
    const r = await csv(`/api/users/import?matchBy=employeeId&mapping=${mapping}`, 'Staff,Boss\nE100,E101\nE101,E100\n');
    const s = r.json();
    // Alan already reports to Ada, so Ada cannot report to Alan; Alan's row then changes nothing.
    expect(s.counts).toMatchObject({ unchanged: 1, failed: 1 });
    expect(s.errors).toEqual([{ row: 2, field: 'manager', reason: 'would create a management cycle' }]);
  });

  it('refuses bad encoding, missing columns and wrong content types with 4xx, writing nothing', async () => {
    const before = await userCount();
    const bad = await csv('/api/users/import', Buffer.concat([Buffer.from('email\nok1@enc.test\nb'), Buffer.from([0xc3, 0x28]), Buffer.from('@enc.test\n')]));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'csv_invalid', details: { row: 3 } });
    const missing = await csv('/api/users/import', 'name,phone\nx,1\n');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.issues).toEqual([{ path: 'body.header.email', reason: 'required column is missing' }]);
    const json = await h.app.inject({ method: 'POST', url: '/api/users/import', payload: { email: 'x@y.test' }, headers: h.owner.headers });
    expect(json.statusCode).toBe(415);
    const mapping = await csv('/api/users/import?mapping=%7Bnope', 'email\n');
    expect(mapping.json().error.issues[0].path).toBe('query.mapping');
    expect(await userCount()).toBe(before);
  });

  it('accepts a CSV larger than the 1 MB JSON limit', async () => {
    const lines = ['email,department'];
    for (let i = 0; i < 30_000; i++) lines.push(`big${i}@size.test,${'D'.repeat(30)}`);
    const body = lines.join('\n');
    expect(body.length).toBeGreaterThan(1024 * 1024);
    const r = await csv('/api/users/import?dryRun=true', body);
    expect(r.statusCode).toBe(200);
    expect(r.json().counts).toMatchObject({ rows: 30_000, created: 30_000 });
  });

  it('streams NDJSON progress and a summary when asked', async () => {
    const lines = ['email'];
    for (let i = 0; i < 2500; i++) lines.push(`nd${i}@nd.test`);
    const r = await csv('/api/users/import', lines.join('\n'), { accept: 'application/x-ndjson' });
    expect(r.headers['content-type']).toMatch(/application\/x-ndjson/);
    const events = r.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'progress').map((e) => e.rows)).toEqual([1000, 2000]);
    expect(events.at(-1)).toMatchObject({ type: 'summary', counts: { created: 2500 } });
  });

  it('imports group memberships and reports missing groups and users per row', async () => {
    const [g] = await h.ctx.db.insert(groups).values({ name: 'Support' }).returning();
    const r = await csv('/api/groups/memberships/import', 'group,user\nsupport,ada@imp.test\nSupport,E101\nNope,ada@imp.test\nSupport,nobody@x.test\nSupport,ada@imp.test\n');
    const s = r.json();
    expect(s.counts).toMatchObject({ rows: 5, added: 2, unchanged: 1, failed: 2 });
    expect(s.errors).toEqual([
      { row: 4, field: 'group', reason: 'no group has this name' },
      { row: 5, field: 'user', reason: 'no user has this email or employee id' },
    ]);
    const members = await h.ctx.db.select().from(groupMembers).where(eq(groupMembers.groupId, g!.id));
    expect(members).toHaveLength(2);
    const added = await h.ctx.db.select().from(outbox).where(sql`entity_type = 'group_member' and op = 'added'`);
    expect(added.map((a) => (a.data as { groupId: string }).groupId)).toEqual([g!.id, g!.id]);
    const again = (await csv('/api/groups/memberships/import', 'group,user\nSupport,ada@imp.test\n')).json();
    expect(again.counts).toMatchObject({ unchanged: 1 });
  });

  it('applies JSON bulk operations one by one, each atomic', async () => {
    const [ada] = await h.ctx.db.select().from(users).where(eq(users.email, 'ada@imp.test'));
    const r = await h.app.inject({
      method: 'POST',
      url: '/api/users/bulk',
      headers: h.owner.headers,
      payload: {
        operations: [
          { op: 'create', user: { email: 'bulk1@b.test', givenName: 'Bulk' } },
          { op: 'create', user: { email: 'bulk1@b.test' } },
          { op: 'update', id: ada!.id, version: 1, user: { jobTitle: 'x' } },
          { op: 'upsert', user: { email: 'ADA@imp.test', jobTitle: 'Analyst', status: 'active' } },
          { op: 'delete', id: '00000000-0000-4000-8000-000000000000' },
          { op: 'explode' },
          { op: 'create', user: { email: 'bulk2@b.test', shoe: 1 } },
        ],
      },
    });
    expect(r.statusCode).toBe(200);
    const { counts, results } = r.json();
    expect(counts).toEqual({ ok: 2, failed: 5 });
    expect(results.map((x: { status: string; action?: string; error?: { code: string } }) => x.action ?? x.error?.code)).toEqual([
      'created', 'duplicate', 'version_conflict', 'updated', 'not_found', 'validation_failed', 'validation_failed',
    ]);
    expect(results[1].error.issues[0].path).toBe('body.operations.1.user.email');
    expect(results[6].error.issues[0]).toEqual({ path: 'body.operations.6.user.shoe', reason: 'unknown field' });
    const [again] = await h.ctx.db.select().from(users).where(eq(users.id, ada!.id));
    expect(again).toMatchObject({ jobTitle: 'Analyst', status: 'active' });
  });

  it('needs import_users for CSV and manage_users for bulk', async () => {
    const importer = await createTestAdmin(h.ctx.db, { permissions: ['import_users'] });
    const csvOk = await h.app.inject({ method: 'POST', url: '/api/users/import?dryRun=true', payload: 'email\np@p.test\n', headers: { ...importer.headers, 'content-type': 'text/csv' } });
    expect(csvOk.statusCode).toBe(200);
    const bulk = await h.app.inject({ method: 'POST', url: '/api/users/bulk', payload: { operations: [{ op: 'delete', id: '00000000-0000-4000-8000-000000000000' }] }, headers: importer.headers });
    expect(bulk.statusCode).toBe(403);
  });
});
