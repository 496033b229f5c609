import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Json } from '../../test/harness.ts';
import { createSandbox } from '../index.ts';
import { StateFileError } from './state-errors.ts';
import { loadState } from './state-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Answers of two runs differ only in the port inside `url` fields. */
const noUrls = (v: Json): Json => JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'url' ? undefined : x)));

async function waitJob(h: Harness, id: string): Promise<Json> {
  for (let i = 0; i < 300; i++) {
    const r = await h.call('GET', `/api/v2/job_statuses/${id}`);
    if (r.body.job_status.status === 'completed') return r.body.job_status;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error('job did not finish');
}

describe('state file', () => {
  it('keeps accounts, users, identities, groups, memberships, roles, OAuth and jobs across a restart, and never reuses an id', async () => {
    const file = join(dir, 'a', 'zendesk-sandbox.state');
    let h = await startHarness({ stateFile: file });
    const ann = (await h.call('POST', '/api/v2/users', { user: { name: 'Ann', email: 'ann@acme.test', external_id: 'ann', role: 'agent', identities: [{ type: 'phone_number', value: '+15550001' }] } })).body.user;
    const bob = (await h.call('POST', '/api/v2/users', { user: { name: 'Bob', email: 'bob@acme.test' } })).body.user;
    await h.call('DELETE', `/api/v2/users/${bob.id}`);
    const group = (await h.call('POST', '/api/v2/groups', { group: { name: 'Tier 2' } })).body.group;
    const membership = (await h.call('POST', '/api/v2/group_memberships', { group_membership: { user_id: ann.id, group_id: group.id } })).body.group_membership;
    const role = (await h.control('POST', '/__sandbox/accounts/acme/custom_roles', { name: 'Provisioner' })).body.custom_role;
    const other = (await h.control('POST', '/__sandbox/accounts', { subdomain: 'other', plan: 'team' })).body.account;
    const job = (await h.call('POST', '/api/v2/users/create_many', { users: [{ name: 'C1', email: 'c1@acme.test' }] })).body.job_status;
    const done = await waitJob(h, job.id);
    const client = (await h.call('POST', '/api/v2/oauth/clients', { client: { name: 'App', identifier: 'app-1', redirect_uri: ['https://app.test/cb'] } })).body.client;
    const token = await fetch(`${h.url}/oauth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'app-1', client_secret: client.secret, scope: 'read' }) });
    const access = ((await token.json()) as Json).access_token as string;
    const before = {
      users: (await h.call('GET', '/api/v2/users')).body.users,
      groups: (await h.call('GET', '/api/v2/groups')).body.groups,
      me: (await h.call('GET', '/api/v2/users/me')).body.user,
      identities: (await h.call('GET', `/api/v2/users/${ann.id}/identities`)).body.identities,
      lastSeq: (await h.control('GET', '/__sandbox/accounts/acme/writes')).body.lastSeq,
    };
    await h.close();

    h = await startHarness({ stateFile: file });
    expect(h.sandbox.state).toMatchObject({ file, created: false, recovery: null });
    expect(h.sandbox.state?.loaded).toMatchObject({ accounts: 2, users: 5, oauthTokens: 1, jobs: 1 });
    expect(noUrls((await h.call('GET', '/api/v2/users')).body.users)).toEqual(noUrls(before.users));
    expect(noUrls((await h.call('GET', '/api/v2/groups')).body.groups)).toEqual(noUrls(before.groups));
    expect(noUrls((await h.call('GET', '/api/v2/users/me')).body.user)).toEqual(noUrls(before.me));
    expect(noUrls((await h.call('GET', `/api/v2/users/${ann.id}/identities`)).body.identities)).toEqual(noUrls(before.identities));
    expect((await h.call('GET', `/api/v2/users/${bob.id}`)).body.user).toMatchObject({ active: false });
    expect((await h.call('GET', `/api/v2/group_memberships/${membership.id}`)).status).toBe(200);
    expect((await h.call('GET', `/api/v2/custom_roles/${role.id}`)).body.custom_role.name).toBe('Provisioner');
    expect((await h.call('GET', `/api/v2/job_statuses/${job.id}`)).body.job_status.results).toEqual(done.results);
    expect((await h.call('GET', '/api/v2/users/me', undefined, { authorization: `Bearer ${access}` })).body.user.id).toBe(before.me.id);
    const otherAuth = { authorization: h.tokenAuth(other.adminEmail, other.apiToken) };
    expect((await h.call('GET', '/other/api/v2/users/me', undefined, otherAuth)).body.user.id).toBe(other.ownerId);
    // Bob's email was freed by his deletion, also after the restart.
    const bob2 = (await h.call('POST', '/api/v2/users', { user: { name: 'Bob', email: 'bob@acme.test' } })).body.user;
    const seen = [...before.users.map((u: Json) => u.id), bob.id, group.id, membership.id, role.id, client.id, ...before.identities.map((i: Json) => i.id)];
    expect(bob2.id).toBeGreaterThan(Math.max(...seen));
    expect((await h.control('GET', '/__sandbox/accounts/acme/writes')).body.lastSeq).toBe(before.lastSeq + 1);
    expect((await h.control('GET', '/__sandbox/state')).body.state).toMatchObject({ file, recovery: null });
    await h.close();
  });

  it('a reset persists: after a restart the default account is the recreated one, with new ids', async () => {
    const file = join(dir, 'reset.state');
    let h = await startHarness({ stateFile: file });
    const group1 = (await h.call('GET', '/api/v2/groups')).body.groups[0];
    await h.call('POST', '/api/v2/users', { user: { name: 'Gone', email: 'gone@acme.test' } });
    await h.control('POST', '/__sandbox/accounts', { subdomain: 'extra' });
    await h.control('POST', '/__sandbox/reset');
    const group2 = (await h.call('GET', '/api/v2/groups')).body.groups[0];
    expect(group2.id).toBeGreaterThan(group1.id);
    await h.close();
    h = await startHarness({ stateFile: file });
    const groups = (await h.call('GET', '/api/v2/groups')).body.groups;
    expect(noUrls(groups[0])).toEqual(noUrls(group2));
    expect((await h.call('GET', '/api/v2/users')).body.users).toHaveLength(1);
    expect((await h.control('GET', '/__sandbox/accounts/extra')).status).toBe(404);
    await h.close();
  });

  it('every answered write is already in the file (a crash loses nothing answered)', async () => {
    const file = join(dir, 'crash.state');
    const h = await startHarness({ stateFile: file });
    const u = (await h.call('POST', '/api/v2/users', { user: { name: 'Kept', email: 'kept@acme.test' } })).body.user;
    await h.call('PUT', `/api/v2/users/${u.id}`, { user: { name: 'Kept twice' } });
    // Read a copy while the sandbox still runs (as after a kill -9: no close, no final flush).
    const copy = join(dir, 'crash-copy.state');
    copyFileSync(file, copy);
    const loaded = loadState(copy);
    const acme = loaded.accounts.find((a) => a.subdomain === 'acme');
    expect(acme?.users.get(u.id)?.name).toBe('Kept twice');
    await h.close();
  });

  it('a truncated file is recovered up to the damage, reported with its path, and kept as a backup', async () => {
    const file = join(dir, 'trunc.state');
    let h = await startHarness({ stateFile: file });
    const u = (await h.call('POST', '/api/v2/users', { user: { name: 'Before', email: 'before@acme.test' } })).body.user;
    await h.close();
    appendFileSync(file, '{"k":"user","s":"acme","i":12,"v":{"id":12,"na');
    h = await startHarness({ stateFile: file });
    const rec = h.sandbox.state?.recovery;
    expect(rec?.message).toContain(file);
    expect(rec?.message).toMatch(/line \d+ of \d+ is damaged/);
    expect(rec?.message).toContain('users');
    expect(existsSync(rec?.backup as string)).toBe(true);
    expect(readFileSync(rec?.backup as string, 'utf8')).toContain('"na');
    expect((await h.call('GET', `/api/v2/users/${u.id}`)).body.user.name).toBe('Before');
    await h.close();
    // The rewritten file is clean again.
    h = await startHarness({ stateFile: file });
    expect(h.sandbox.state?.recovery).toBeNull();
    await h.close();
  });

  it('refuses a file from a newer sandbox, a foreign file and a file another sandbox holds, naming the file and changing nothing', async () => {
    const newer = join(dir, 'newer.state');
    writeFileSync(newer, '{"format":"zendesk-sandbox-state","version":99}\n{"future":true}\n');
    expect(() => createSandbox({ stateFile: newer })).toThrow(StateFileError);
    expect(() => createSandbox({ stateFile: newer })).toThrow(/newer\.state: was written by a newer sandbox \(state format 99/);
    expect(readFileSync(newer, 'utf8')).toBe('{"format":"zendesk-sandbox-state","version":99}\n{"future":true}\n');

    const foreign = join(dir, 'notes.txt');
    writeFileSync(foreign, 'my notes\n');
    expect(() => createSandbox({ stateFile: foreign })).toThrow(/notes\.txt: is not a Zendesk sandbox state file/);
    expect(readFileSync(foreign, 'utf8')).toBe('my notes\n');

    const held = join(dir, 'held.state');
    const first = createSandbox({ stateFile: held });
    expect(() => createSandbox({ stateFile: held })).toThrow(/held\.state: is in use by another sandbox \(process \d+, lock file .*held\.state\.lock\)/);
    await first.close();
    const second = createSandbox({ stateFile: held });
    await second.close();
    expect(readdirSync(dir).filter((f) => f.startsWith('held.state'))).toEqual(['held.state']);
  });

  it('takes over a stale lock left by a process that is gone', async () => {
    const file = join(dir, 'stale.state');
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, at: 'then' }));
    const s = createSandbox({ stateFile: file });
    expect(s.state?.created).toBe(true);
    await s.close();
  });
});
