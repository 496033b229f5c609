/**
 * Sends a few hundred generated bad inputs (seeded, so every run sends the same ones) to the
 * directory endpoints and checks that each gets a 4xx naming the field, that none gets a 5xx,
 * and that nothing was written: every table has the same number of rows afterwards.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/test-database.ts';
import { openTestApp, type TestApp } from '../../test/test-app.ts';
import { routeModules } from './routes/index.ts';
import { seededRandom } from '../../test/seeded-random.ts';

/** Tables whose row counts must not change; import_runs is left out on purpose: it records refused imports too. */
const TABLES = ['admins', 'admin_sessions', 'api_tokens', 'login_throttle', 'audit_log', 'attribute_definitions', 'users', 'groups', 'group_members', 'applications', 'assignments', 'outbox', 'system_settings'];

interface Case {
  name: string;
  method: 'POST' | 'PATCH' | 'GET' | 'DELETE';
  url: string;
  payload?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** Our own endpoints must also name the field of every 400/409. */
  ours: boolean;
}

const userFields = ['givenName', 'familyName', 'displayName', 'phone', 'mobile', 'jobTitle', 'department', 'employeeId', 'locale', 'timeZone', 'organization', 'location'];
const wrongValues: unknown[] = [1, true, [], {}, 'x'.repeat(5000), -1.5, ['a'], { nested: { deep: 1 } }];
const badEmails = ['', ' ', 'plain', 'a@', '@b.test', 'a b@c.test', 'a@@b.test', 'x'.repeat(400) + '@b.test', 42, null, ['a@b.test']];

function generate(rand: () => number, ids: { user: string; manager: string; attribute: string; group: string | undefined; app: string | undefined }): Case[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const json = (v: unknown) => JSON.stringify(v);
  const cases: Case[] = [];
  const add = (c: Omit<Case, 'ours'> & { ours?: boolean }) => cases.push({ ours: true, ...c });

  for (let i = 0; i < 60; i++) {
    const body: Record<string, unknown> = { email: `ok${i}@bad.test` };
    const kind = i % 5;
    if (kind === 0) body['email'] = pick(badEmails);
    if (kind === 1) body[pick(userFields)] = pick(wrongValues.filter((v) => typeof v !== 'string' || v.length > 500));
    if (kind === 2) body[`unknown${Math.floor(rand() * 100)}`] = 'x';
    if (kind === 3) body['managerId'] = pick(['not-a-uuid', '00000000-0000-4000-8000-000000000000', ids.user.replace(/.$/, 'f') === ids.user ? '00000000-0000-4000-8000-000000000001' : '00000000-0000-4000-8000-000000000001']);
    if (kind === 4) body['custom'] = pick([{ level: 'high' }, { nope: 1 }, { level: 1, extra: true }, 'str', [1]]);
    add({ name: `create user #${i} (${kind})`, method: 'POST', url: '/api/users', payload: json(body) });
  }
  for (const email of ['DUP@bad-seed.test', ' dup@BAD-SEED.test ']) add({ name: `duplicate email ${email}`, method: 'POST', url: '/api/users', payload: json({ email }) });
  add({ name: 'duplicate employee id', method: 'POST', url: '/api/users', payload: json({ email: 'new@bad.test', employeeId: 'SEED-1' }) });
  for (let i = 0; i < 40; i++) {
    const body: Record<string, unknown> = {};
    const kind = i % 6;
    if (kind === 0) body['email'] = pick(badEmails.filter((e) => e !== null));
    if (kind === 1) body[pick(userFields)] = pick(wrongValues.filter((v) => typeof v !== 'string' || v.length > 500));
    if (kind === 2) body['id'] = 'x';
    if (kind === 3) body['managerId'] = ids.user;
    if (kind === 4) body['version'] = pick([0, -1, 'one', 1.5]);
    if (kind === 5) body['email'] = 'DUP@bad-seed.test';
    add({ name: `patch user #${i} (${kind})`, method: 'PATCH', url: `/api/users/${kind === 5 ? ids.user : ids.manager}`, payload: json(body) });
  }
  add({ name: 'manager cycle', method: 'PATCH', url: `/api/users/${ids.manager}`, payload: json({ managerId: ids.user }) });
  add({ name: 'stale If-Match', method: 'PATCH', url: `/api/users/${ids.user}`, payload: json({ jobTitle: 'x' }), headers: { 'if-match': '"99"' } });
  add({ name: 'garbage If-Match', method: 'PATCH', url: `/api/users/${ids.user}`, payload: json({ jobTitle: 'x' }), headers: { 'if-match': 'yesterday' } });
  for (const path of ['/api/users/not-a-uuid', '/api/users/00000000-0000-4000-8000-000000000000']) {
    add({ name: `patch ${path}`, method: 'PATCH', url: path, payload: json({ jobTitle: 'x' }) });
    add({ name: `delete ${path}`, method: 'DELETE', url: path });
    add({ name: `activate ${path}`, method: 'POST', url: `${path}/deactivate` });
  }
  for (let i = 0; i < 25; i++) {
    const text = pick(['{', '{"email":', '[1,2', 'nul', '{"email":"a@b.test",}', "{'email':'a@b.test'}", '\u0000', '{"a":1}{"b":2}']);
    add({ name: `malformed JSON #${i}`, method: pick(['POST', 'PATCH']), url: i % 2 ? '/api/users' : `/api/users/${ids.user}`, payload: text });
  }
  for (const body of [json(1), json('a'), json(null), json([]), json(true)]) add({ name: `non-object body ${body}`, method: 'POST', url: '/api/users', payload: body });
  add({ name: 'oversized JSON body', method: 'POST', url: '/api/users', payload: json({ email: 'big@bad.test', displayName: 'x'.repeat(2 * 1024 * 1024) }) });
  for (let i = 0; i < 20; i++) {
    const q = pick(['limit=0', 'limit=501', 'limit=abc', 'sort=size', 'order=up', 'status=gone', 'managerId=x', 'cursor=%%%', 'cursor=WzFd', 'custom.Bad-Key=1', 'colour=red', `q=${'a'.repeat(300)}`]);
    add({ name: `list ?${q}`, method: 'GET', url: `/api/users?${q}` });
  }

  const attrBodies: unknown[] = [
    { key: 'Bad', label: 'x', type: 'string' }, { key: '1abc', label: 'x', type: 'string' }, { key: 'email', label: 'x', type: 'string' },
    { key: 'displayname', label: 'x', type: 'string' }, { key: 'ok', label: '', type: 'string' }, { key: 'ok', label: 'x', type: 'color' },
    { key: 'ok', label: 'x', type: 'enum' }, { key: 'ok', label: 'x', type: 'string', enumValues: ['a'] }, { key: 'ok', label: 'x', type: 'enum', enumValues: [] },
    { key: 'level', label: 'dup', type: 'string' }, { key: 'ok', label: 'x', type: 'string', extra: 1 }, { key: 'x'.repeat(70), label: 'x', type: 'string' }, [], 'x',
  ];
  for (const body of attrBodies) add({ name: `create attribute ${json(body).slice(0, 40)}`, method: 'POST', url: '/api/attributes', payload: json(body) });
  for (const body of [{ key: 'renamed' }, { type: 'string' }, { label: '' }, { enumValues: ['a'] }, { required: 'yes' }, { version: 7 }]) {
    add({ name: `patch attribute ${json(body)}`, method: 'PATCH', url: `/api/attributes/${ids.attribute}`, payload: json(body) });
  }

  const csvCases: [string, string | Buffer, string][] = [
    ['invalid UTF-8 in a row', Buffer.concat([Buffer.from('email\nc1@csv.test\n'), Buffer.from([0xff, 0xfe]), Buffer.from('@x\n')]), ''],
    ['truncated UTF-8 at the end', Buffer.concat([Buffer.from('email\nc2@csv.test\n'), Buffer.from([0xe2, 0x82])]), ''],
    ['no email column', 'name,phone\nA,1\n', ''],
    ['empty file', '', ''],
    ['unclosed quote', 'email\n"c3@csv.test\n', ''],
    ['bad mapping JSON', 'email\nc4@csv.test\n', 'mapping=%7B'],
    ['mapping to an unknown field', 'email\nc5@csv.test\n', `mapping=${encodeURIComponent(JSON.stringify({ email: 'shoe' }))}`],
    ['unknown query parameter', 'email\nc6@csv.test\n', 'force=yes'],
    ['bad matchBy', 'email\nc7@csv.test\n', 'matchBy=name'],
    ['matchBy employeeId without that column', 'email\nc8@csv.test\n', 'matchBy=employeeId'],
  ];
  for (const [name, body, query] of csvCases) add({ name: `CSV: ${name}`, method: 'POST', url: `/api/users/import${query ? `?${query}` : ''}`, payload: body, contentType: 'text/csv' });
  for (let i = 0; i < 15; i++) {
    const bytes = Buffer.from(`email,givenName\nr${i}@csv.test,Ann\n`);
    const at = 16 + Math.floor(rand() * (bytes.length - 17));
    const broken = Buffer.concat([bytes.subarray(0, at), Buffer.from([0x80 + Math.floor(rand() * 0x40)]), bytes.subarray(at)]);
    add({ name: `CSV: stray continuation byte #${i}`, method: 'POST', url: '/api/users/import', payload: broken, contentType: 'text/csv' });
  }
  add({ name: 'CSV: JSON body', method: 'POST', url: '/api/users/import', payload: json({ email: 'a@b.test' }) });
  add({ name: 'CSV: XML body', method: 'POST', url: '/api/users/import', payload: '<users/>', contentType: 'application/xml' });
  add({ name: 'memberships CSV without user column', method: 'POST', url: '/api/groups/memberships/import', payload: 'group\nSupport\n', contentType: 'text/csv' });
  add({ name: 'memberships CSV with bad UTF-8', method: 'POST', url: '/api/groups/memberships/import', payload: Buffer.from([0x67, 0x72, 0x6f, 0x75, 0x70, 0xc0]), contentType: 'text/csv' });

  for (const body of [{}, { operations: [] }, { operations: 'x' }, { operations: Array.from({ length: 1001 }, () => ({ op: 'delete', id: ids.user })) }, { operations: [{ op: 'create' }], extra: 1 }]) {
    add({ name: `bulk ${json(body).slice(0, 40)}`, method: 'POST', url: '/api/users/bulk', payload: json(body) });
  }

  // Other engineers' endpoints, when present: only "no 5xx, nothing written" is asserted there.
  const others: [string, string][] = [['/api/groups', 'POST']];
  if (ids.group) others.push([`/api/groups/${ids.group}`, 'PATCH'], [`/api/groups/${ids.group}/members`, 'POST']);
  others.push(['/api/apps', 'POST']);
  others.push([`/api/apps/${ids.app ?? '00000000-0000-4000-8000-000000000000'}/assignments`, 'POST']);
  for (const [url, method] of others) {
    for (const payload of ['{', json([]), json({ unknownField: 1 }), json({ name: 42, displayName: [], type: {}, role: 1, principalType: 'robot', principalId: 'x', memberType: 'x', memberId: 1 }), json({ name: 'x'.repeat(3000) })]) {
      add({ name: `${method} ${url} ${payload.slice(0, 30)}`, method: method as Case['method'], url, payload, ours: false });
    }
  }
  return cases;
}

describe.each(openTestDatabase.drivers())('bad input on %s', (driver) => {
  let h: TestApp;
  let ids: { user: string; manager: string; attribute: string; group: string | undefined; app: string | undefined };
  const send = (c: { method: Case['method']; url: string; payload?: string | Buffer; contentType?: string; headers?: Record<string, string> }) =>
    h.app.inject({
      method: c.method,
      url: c.url,
      headers: { ...h.owner.headers, ...(c.payload !== undefined ? { 'content-type': c.contentType ?? 'application/json' } : {}), ...c.headers },
      ...(c.payload !== undefined ? { payload: c.payload } : {}),
    });

  beforeAll(async () => {
    h = await openTestApp(driver);
    const manager = (await send({ method: 'POST', url: '/api/users', payload: JSON.stringify({ email: 'dup@bad-seed.test', employeeId: 'SEED-1' }) })).json();
    const user = (await send({ method: 'POST', url: '/api/users', payload: JSON.stringify({ email: 'seed2@bad-seed.test', managerId: manager.id }) })).json();
    const attribute = (await send({ method: 'POST', url: '/api/attributes', payload: JSON.stringify({ key: 'level', label: 'Level', type: 'number' }) })).json();
    const group = await send({ method: 'POST', url: '/api/groups', payload: JSON.stringify({ name: 'Support' }) });
    const app = await send({ method: 'POST', url: '/api/apps', payload: JSON.stringify({ type: 'zendesk', displayName: 'Zendesk', settings: { subdomain: 'acme' } }) });
    ids = { user: user.id, manager: manager.id, attribute: attribute.id, group: group.statusCode === 201 ? group.json().id : undefined, app: app.statusCode === 201 ? app.json().id : undefined };
    expect(routeModules.length).toBeGreaterThan(3);
  });
  afterAll(async () => h?.close());

  const counts = async () => {
    const out: Record<string, number> = {};
    for (const t of TABLES) out[t] = Number(((await h.ctx.db.execute(sql.raw(`select count(*)::int as n from ${t}`))) as unknown as { rows: { n: number }[] }).rows[0]?.n);
    return out;
  };

  it('answers every generated bad input with a 4xx naming the field, and writes nothing', async () => {
    const cases = generate(seededRandom(20261121), ids);
    expect(cases.length).toBeGreaterThan(200);
    const before = await counts();
    const versions = async () => ((await h.ctx.db.execute(sql`select id, version from users order by id`)) as unknown as { rows: unknown[] }).rows;
    const versionsBefore = await versions();
    const wrong: string[] = [];
    for (const c of cases) {
      const r = await send(c);
      const body = r.headers['content-type']?.toString().includes('json') ? r.json() : undefined;
      if (r.statusCode < 400 || r.statusCode >= 500) wrong.push(`${c.name}: ${r.statusCode} ${r.body.slice(0, 200)}`);
      // A version conflict names no field: its details carry the current version instead.
      else if (c.ours && (r.statusCode === 400 || r.statusCode === 409) && body?.error?.code !== 'version_conflict') {
        const issues = body?.error?.issues as { path: string; reason: string }[] | undefined;
        if (!issues?.length || issues.some((i) => !i.path || !i.reason)) wrong.push(`${c.name}: ${r.statusCode} without a named field: ${r.body.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await counts()).toEqual(before);
    expect(await versions()).toEqual(versionsBefore);
  });

  it('fails CSV rows one by one without writing them', async () => {
    const before = await counts();
    const r = await send({ method: 'POST', url: '/api/users/import', contentType: 'text/csv', payload: 'email,givenName,level\nx1@csv.test,A,high\nbad-email,B,1\nx3@csv.test\nDUP@bad-seed.test,C,notanumber\n' });
    expect(r.statusCode).toBe(200);
    expect(r.json().counts).toMatchObject({ rows: 4, failed: 4 });
    expect(await counts()).toEqual(before);
  });

  it('refuses NUL characters (which PostgreSQL cannot store) with a 400 naming the field, on every route', async () => {
    await send({ method: 'POST', url: '/api/attributes', payload: JSON.stringify({ key: 'nickname', label: 'Nickname', type: 'string' }) });
    const nul = '\u0000';
    const json = (v: unknown) => JSON.stringify(v);
    const one = '00000000-0000-4000-8000-000000000000';
    const cursor = Buffer.from(json([`a${nul}`, 'b', 'c', 'd'])).toString('base64url');
    const cases: { method: Case['method']; url: string; payload?: string; field: string; headers?: Record<string, string> }[] = [
      { method: 'POST', url: '/api/users', payload: json({ email: `n${nul}ul@nul.test` }), field: 'body.email' },
      { method: 'POST', url: '/api/users', payload: json({ email: 'nul1@nul.test', givenName: `A${nul}` }), field: 'body.givenName' },
      { method: 'POST', url: '/api/users', payload: json({ email: 'nul2@nul.test', custom: { nickname: `x${nul}` } }), field: 'body.custom.nickname' },
      { method: 'POST', url: '/api/users', payload: json({ email: 'nul3@nul.test', custom: { [`k${nul}`]: 'x' } }), field: 'body.custom' },
      { method: 'PATCH', url: `/api/users/${ids.user}`, payload: json({ jobTitle: `x${nul}` }), headers: { 'if-match': '"1"' }, field: 'body.jobTitle' },
      { method: 'GET', url: `/api/users?q=a${encodeURIComponent(nul)}`, field: 'query.q' },
      { method: 'GET', url: `/api/users?department=a${encodeURIComponent(nul)}`, field: 'query.department' },
      { method: 'GET', url: `/api/users?custom.nickname=a${encodeURIComponent(nul)}`, field: 'query.custom.nickname' },
      { method: 'GET', url: `/api/users?cursor=${cursor}`, field: 'query.cursor' },
      { method: 'POST', url: '/api/attributes', payload: json({ key: 'other', label: `L${nul}`, type: 'string' }), field: 'body.label' },
      { method: 'POST', url: '/api/attributes', payload: json({ key: 'kind', label: 'Kind', type: 'enum', enumValues: [`a${nul}`] }), field: 'body.enumValues.0' },
      { method: 'PATCH', url: `/api/attributes/${ids.attribute}`, payload: json({ label: `L${nul}` }), headers: { 'if-match': '"1"' }, field: 'body.label' },
      { method: 'POST', url: '/api/users/bulk', payload: json({ operations: [{ op: 'create', user: { email: 'nul4@nul.test', department: `D${nul}` } }] }), field: 'body.operations.0.user.department' },
      { method: 'POST', url: `/api/users/import?mapping=${encodeURIComponent(json({ [`E${nul}`]: 'email' }))}`, payload: 'email\nnul5@nul.test\n', field: 'query.mapping' },
      { method: 'POST', url: '/api/admins', payload: json({ email: 'nul@admin.test', name: `N${nul}` }), field: 'body.name' },
      { method: 'POST', url: '/api/admins', payload: json({ email: `n${nul}@admin.test`, name: 'N' }), field: 'body.email' },
      { method: 'PATCH', url: `/api/admins/${h.owner.adminId}`, payload: json({ name: `N${nul}` }), headers: { 'if-match': '"1"' }, field: 'body.name' },
      { method: 'POST', url: '/api/tokens', payload: json({ name: `t${nul}` }), field: 'body.name' },
      { method: 'POST', url: '/api/session', payload: json({ email: `a${nul}@b.test`, password: 'whatever-password' }), field: 'body.email' },
      { method: 'GET', url: `/api/audit?actor=a${encodeURIComponent(nul)}`, field: 'query.actor' },
      { method: 'POST', url: `/api/groups`, payload: json({ name: `G${nul}` }), field: 'body.name' },
      { method: 'DELETE', url: `/api/users/${one}`, headers: { 'if-match': `"1${nul}"` }, field: 'headers.if-match' },
    ];
    const before = await counts();
    const wrong: string[] = [];
    for (const c of cases) {
      const r = await send({ ...c, ...(c.method === 'POST' && c.url.startsWith('/api/users/import') ? { contentType: 'text/csv' } : {}) });
      // The bulk endpoint answers 200 and fails the operation on its own.
      const bulk = c.url === '/api/users/bulk';
      const error = bulk ? r.json().results?.[0]?.error : r.json().error;
      const paths = (error?.issues as { path: string }[] | undefined)?.map((i) => i.path) ?? [];
      if (r.statusCode !== (bulk ? 200 : 400) || !paths.some((p) => p.startsWith(c.field))) wrong.push(`${c.method} ${c.url.slice(0, 60)}: ${r.statusCode} ${r.body.slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);

    const csv = await send({ method: 'POST', url: '/api/users/import', contentType: 'text/csv', payload: `email,givenName,nickname\nnul6@nul.test,A${nul}n,x\nnul7@nul.test,B,y${nul}\nn${nul}ul8@nul.test,C,z\n` });
    expect(csv.statusCode).toBe(200);
    expect(csv.json().counts).toMatchObject({ rows: 3, failed: 3 });
    const members = await send({ method: 'POST', url: '/api/groups/memberships/import', contentType: 'text/csv', payload: `group,user\nSup${nul}port,dup@bad-seed.test\nSupport,d${nul}up@bad-seed.test\n` });
    expect(members.statusCode).toBe(200);
    expect(members.json().counts).toMatchObject({ failed: 2 });
    expect(await counts()).toEqual(before);
  });
});
