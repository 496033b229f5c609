import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema.ts';
import { createTestAdmin, openTestApp, type TestApp } from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';

interface Entry {
  id: number;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  targetName: string | null;
  before: unknown;
  after: unknown;
}

describe.each(openTestDatabase.drivers())('audit log API on %s', (driver) => {
  let h: TestApp;
  let reader: Awaited<ReturnType<typeof createTestAdmin>>;
  const alice = { id: randomUUID(), email: 'Alice@Example.test' };
  const bob = { id: randomUUID(), email: 'bob@example.test' };
  const userId = randomUUID();

  beforeAll(async () => {
    h = await openTestApp(driver);
    reader = await createTestAdmin(h.t.database.db, { permissions: ['view_logs'] });
    const at = (day: number) => new Date(Date.UTC(2026, 0, day, 12));
    const row = (day: number, actor: { id: string; email: string }, action: string, targetType: string, targetId: string, after: unknown = null) =>
      ({ at: at(day), actorId: actor.id, actorEmail: actor.email, via: 'session', action, targetType, targetId, after });
    await h.t.database.db.insert(auditLog).values([
      row(1, alice, 'user.create', 'user', userId, { email: 'u@x.test' }),
      row(2, alice, 'user.update', 'user', userId, { name: '=HYPERLINK("http://evil")' }),
      row(3, bob, 'group.create', 'group', randomUUID()),
      row(4, bob, 'user_import.run', 'import', randomUUID()),
      row(5, alice, 'user.delete', 'user', userId, { note: 'line one\nline "two", with comma' }),
      // Outside the fixture window: a value a spreadsheet would run as a formula.
      row(40, bob, 'formula.test', 'user', '=2+3'),
    ]);
  });
  afterAll(async () => h?.close());

  const list = async (query: string, headers: Record<string, string> = reader.headers) => {
    const r = await h.app.inject({ url: `/api/audit?${query}`, headers });
    if (r.statusCode !== 200) throw new Error(`${r.statusCode} ${r.body}`);
    return r.json() as { items: Entry[]; nextCursor: string | null };
  };
  const fixture = 'from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z';

  it('needs view_logs', async () => {
    const a = await createTestAdmin(h.t.database.db, { permissions: ['manage_users'] });
    const r = await h.app.inject({ url: '/api/audit', headers: a.headers });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.details).toEqual({ missing: ['view_logs'] });
    expect((await h.app.inject({ url: '/api/audit/export', headers: a.headers })).statusCode).toBe(403);
  });

  it('pages newest first with a cursor', async () => {
    const first = await list(`${fixture}&limit=2`);
    expect(first.items.map((e) => e.action)).toEqual(['user.delete', 'user_import.run']);
    const second = await list(`${fixture}&limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((e) => e.action)).toEqual(['group.create', 'user.update']);
    const third = await list(`${fixture}&limit=2&cursor=${second.nextCursor}`);
    expect(third.items.map((e) => e.action)).toEqual(['user.create']);
    expect(third.nextCursor).toBeNull();
    const bad = await h.app.inject({ url: '/api/audit?cursor=garbage', headers: reader.headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].path).toBe('query.cursor');
  });

  it('filters by actor id or email, action prefix, target and time', async () => {
    expect((await list(`${fixture}&actor=${bob.id}`)).items.map((e) => e.action)).toEqual(['user_import.run', 'group.create']);
    expect((await list(`${fixture}&actor=alice@example.TEST`)).items).toHaveLength(3);
    expect((await list(`${fixture}&action=user.`)).items.map((e) => e.action)).toEqual(['user.delete', 'user.update', 'user.create']);
    // `_` is literal, not a LIKE wildcard.
    expect((await list(`${fixture}&action=user_`)).items.map((e) => e.action)).toEqual(['user_import.run']);
    expect((await list(`${fixture}&targetType=user&targetId=${userId}`)).items).toHaveLength(3);
    const window = await list('from=2026-01-02T00:00:00Z&to=2026-01-04T00:00:00Z');
    expect(window.items.map((e) => e.action)).toEqual(['group.create', 'user.update']);
  });

  it('names bad filters', async () => {
    const r = await h.app.inject({ url: '/api/audit?from=yesterday&colour=red', headers: reader.headers });
    expect(r.statusCode).toBe(400);
    const paths = r.json().error.issues.map((i: { path: string }) => i.path);
    expect(paths.some((p: string) => p.endsWith('from'))).toBe(true);
    expect(paths.some((p: string) => p.endsWith('colour'))).toBe(true);
  });

  it('records real admin actions with actor, before and after', async () => {
    const made = await h.app.inject({ method: 'POST', url: '/api/admins', headers: h.owner.headers, payload: { email: 'audited@example.test', name: 'Audited' } });
    const id = made.json().admin.id as string;
    await h.app.inject({ method: 'PATCH', url: `/api/admins/${id}`, headers: h.owner.headers, payload: { name: 'Renamed', version: 1 } });
    const entries = (await list(`targetType=admin&targetId=${id}`)).items;
    expect(entries.map((e) => e.action)).toEqual(['admin.update', 'admin.create']);
    expect(entries[0]).toMatchObject({ actorId: h.owner.adminId, before: { name: 'Audited' }, after: { name: 'Renamed' } });
  });

  it('exports the filtered entries as CSV, defusing formulas and quoting', async () => {
    const r = await h.app.inject({ url: `/api/audit/export?format=csv&${fixture}&actor=${alice.id}`, headers: reader.headers });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    expect(r.headers['content-disposition']).toMatch(/attachment; filename="roster-audit-.*\.csv"/);
    const lines = r.body.split('\r\n');
    expect(lines[0]).toBe('id,at,actorId,actorEmail,via,action,targetType,targetId,before,after,requestId');
    expect(r.body).toContain('user.delete');
    expect(r.body).not.toContain('group.create');
    const quoted = (v: unknown) => `"${JSON.stringify(v).replace(/"/g, '""')}"`;
    expect(r.body).toContain(quoted({ note: 'line one\nline "two", with comma' }));
    expect(lines.filter((l) => l.length > 0)).toHaveLength(4);
    const formula = await h.app.inject({ url: '/api/audit/export?format=csv&action=formula.', headers: reader.headers });
    expect(formula.body).toContain(`,user,'=2+3,`);
    expect(formula.body).not.toContain(',=2+3');
  });

  it('names each target: the live name by id, else what the entry recorded', async () => {
    const made = await h.app.inject({ method: 'POST', url: '/api/users', headers: h.owner.headers, payload: { email: 'named.person@example.test', givenName: 'Named', familyName: 'Person' } });
    expect(made.statusCode, made.body).toBe(201);
    const created = (await list(`action=user.create&targetType=user&targetId=${made.json().id}`)).items;
    expect(created[0]?.targetName).toBe('Named Person');
    // The fixture's user never existed: the name comes from the entry (email), or nothing at all.
    const fixtureUser = (await list(`${fixture}&targetType=user&targetId=${userId}`)).items;
    expect(fixtureUser.map((e) => [e.action, e.targetName])).toEqual([
      ['user.delete', null],
      ['user.update', '=HYPERLINK("http://evil")'],
      ['user.create', 'u@x.test'],
    ]);
  });

  it('exports NDJSON, one entry per line, and audits the export', async () => {
    const r = await h.app.inject({ url: `/api/audit/export?format=ndjson&${fixture}&action=user.`, headers: reader.headers });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const entries = r.body.trim().split('\n').map((l) => JSON.parse(l) as Entry);
    expect(entries.map((e) => e.action)).toEqual(['user.delete', 'user.update', 'user.create']);
    const exports = await list(`action=audit.export&actor=${reader.adminId}`);
    expect(exports.items[0]?.after).toMatchObject({ format: 'ndjson', filter: { action: 'user.' } });
  });
});
