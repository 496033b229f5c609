import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sandboxStateFile, startSandbox } from './sandbox.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'roster-sandbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const auth = `Basic ${Buffer.from('admin@roster.example.com/token:sandbox-api-token').toString('base64')}`;

describe('embedded sandbox', () => {
  it('keeps its state in the data folder by default; an explicit file or null overrides', () => {
    expect(sandboxStateFile({ dataDir: dir })).toBe(path.join(dir, 'zendesk-sandbox.state'));
    expect(sandboxStateFile({ dataDir: dir, stateFile: null })).toBeNull();
    expect(sandboxStateFile({ dataDir: dir, stateFile: 'x.state' })).toBe(path.resolve('x.state'));
    expect(sandboxStateFile({})).toBeNull();
  });

  it('a restarted embedded sandbox still has the users, ids and redirect URIs of the previous run', async () => {
    let s = await startSandbox(0, '127.0.0.1', { dataDir: dir, oauthRedirectUris: ['http://roster.test/provision/oauth/callback'] });
    expect(s.stateFile).toBe(path.join(dir, 'zendesk-sandbox.state'));
    s.allowRedirectUri('http://127.0.0.1:4321/provision/oauth/callback');
    const res = await fetch(`${s.url}/api/v2/users`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ user: { name: 'Ada', email: 'ada@example.com' } }) });
    const ada = ((await res.json()) as { user: { id: number } }).user;
    await s.close();

    s = await startSandbox(0, '127.0.0.1', { dataDir: dir });
    const shown = await fetch(`${s.url}/api/v2/users/${ada.id}`, { headers: { authorization: auth } });
    expect(((await shown.json()) as { user: { email: string } }).user.email).toBe('ada@example.com');
    const snap = (await (await fetch(`${s.url}/__sandbox/accounts/roster/snapshot`)).json()) as { users: Array<{ id: number }> };
    expect(snap.users.map((u) => u.id)).toContain(ada.id);
    const clients = await fetch(`${s.url}/api/v2/oauth/clients`, { headers: { authorization: auth } });
    const uris = ((await clients.json()) as { clients: Array<{ identifier: string; redirect_uri: string[] }> }).clients.find((c) => c.identifier === 'roster')?.redirect_uri;
    expect(uris).toEqual(expect.arrayContaining(['http://roster.test/provision/oauth/callback', 'http://127.0.0.1:4321/provision/oauth/callback']));
    await s.close();
  });

  it('a damaged state file is reported with its path, and one from a newer sandbox stops the start', async () => {
    const damaged = path.join(dir, 'damaged');
    let s = await startSandbox(0, '127.0.0.1', { dataDir: damaged });
    await s.close();
    writeFileSync(path.join(damaged, 'zendesk-sandbox.state'), '{"format":"zendesk-sandbox-state","version":1}\n{"k":"user","s":"roster"', { flag: 'w' });
    const warnings: string[] = [];
    s = await startSandbox(0, '127.0.0.1', { dataDir: damaged, warn: (l) => warnings.push(l) });
    expect(warnings[0]).toContain(path.join(damaged, 'zendesk-sandbox.state'));
    expect(warnings[0]).toContain('is damaged');
    await s.close();
    const newer = path.join(dir, 'newer.state');
    writeFileSync(newer, '{"format":"zendesk-sandbox-state","version":7}\n');
    await expect(startSandbox(0, '127.0.0.1', { stateFile: newer })).rejects.toThrow(/newer\.state: was written by a newer sandbox/);
  });
});
