/**
 * The provisioning, plan, scope and import commands against `roster serve --with-sandbox` as it
 * starts (ROSTER_PORT=0, worker on), so cycles, dry runs and imports really run as jobs against the
 * in-process Zendesk sandbox; the sandbox's state is read through its control API.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../../../zendesk-sandbox/src/index.ts';
import { createTestAdmin } from '../../../test/test-app.ts';
import { copyTemplateInto, openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { loadConfig } from '../../config/config.ts';
import { type RunningServer, startServer } from '../../runtime/server.ts';
import { cli } from '../cli.test-support.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- loose reads in assertions
const SUB = DEFAULT_ACCOUNT.subdomain;
const APP = 'Sandbox CLI';

describe.each(openTestDatabase.drivers())('roster apps provisioning commands on %s', (driver) => {
  let dir: string;
  let pg: TestDatabase | undefined;
  let server: RunningServer;
  let env: Record<string, string>;
  let sandboxUrl: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-cli-prov-'));
    const vars: Record<string, string> = { ROSTER_DATA_DIR: dir, ROSTER_PORT: '0', ROSTER_SANDBOX_PORT: '0', ROSTER_LOG_LEVEL: 'silent' };
    if (driver === 'postgres') {
      pg = await openTestDatabase('postgres');
      vars['DATABASE_URL'] = pg.location.databaseUrl!;
    } else {
      await copyTemplateInto(dir);
    }
    const config = loadConfig(vars);
    if (!config.ok) throw new Error(config.error.join('; '));
    server = await startServer(config.value, { worker: true, sandbox: true, print: () => undefined });
    sandboxUrl = server.sandbox!.url;
    env = { ROSTER_URL: server.listenUrl, ROSTER_TOKEN: (await createTestAdmin(server.database.db, { role: 'owner' })).token };
  });
  afterAll(async () => {
    await server?.close();
    await pg?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const snapshotUsers = async (): Promise<Json[]> => ((await (await fetch(`${sandboxUrl}/__sandbox/accounts/${SUB}/snapshot`)).json()) as Json).users.filter((u: Json) => !u.owner);
  const ok = async (argv: string[], extra: Record<string, string> = {}, opts: { stdin?: string; cwd?: string } = {}) => {
    const r = await cli(argv, { ...env, ...extra }, opts);
    if (r.code !== 0) throw new Error(`roster ${argv.join(' ')} → ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };

  it('adds the app (target shown as the embedded sandbox), connects by API token from env or stdin only, tests, enables and runs a cycle', async () => {
    await ok(['apps', 'add', 'zendesk', '--name', APP, '--subdomain', SUB]);
    expect(await ok(['apps', 'list'])).toContain(`${sandboxUrl}/${SUB}`);
    expect(await ok(['apps', 'list'])).not.toContain('zendesk.com');

    const onArgv = await cli(['apps', 'provisioning', 'connect', APP, '--admin-email', DEFAULT_ACCOUNT.adminEmail, '--api-token', DEFAULT_ACCOUNT.apiToken], env);
    expect(onArgv).toMatchObject({ code: 2, stderr: expect.stringMatching(/--api-token takes "-".*shows in `ps`/) });
    const noToken = await cli(['apps', 'provisioning', 'connect', APP, '--admin-email', DEFAULT_ACCOUNT.adminEmail], env);
    expect(noToken).toMatchObject({ code: 2, stderr: expect.stringMatching(/set ZENDESK_API_TOKEN/) });
    const both = await cli(['apps', 'provisioning', 'connect', APP, '--admin-email', 'a@b.test', '--oauth-client-id', 'x'], env);
    expect(both.code).toBe(2);

    await ok(['apps', 'provisioning', 'connect', APP, '--admin-email', DEFAULT_ACCOUNT.adminEmail, '--api-token', '-'], {}, { stdin: 'wrong-token\n' });
    const failing = await cli(['apps', 'provisioning', 'test', APP], env);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/^FAIL/m);
    expect(await ok(['apps', 'provisioning', 'connect', APP, '--admin-email', DEFAULT_ACCOUNT.adminEmail], { ZENDESK_API_TOKEN: DEFAULT_ACCOUNT.apiToken })).toMatch(/^saved the API token connection/);
    const tested = await ok(['apps', 'provisioning', 'test', APP]);
    expect(tested).toMatch(/^ok {2}/m);
    expect(tested).toContain(`acting as ${DEFAULT_ACCOUNT.adminEmail}`);

    await ok(['users', 'add', 'ada@cli-prov.test', '--given-name', 'Ada', '--family-name', 'Lovelace']);
    await ok(['users', 'add', 'bob@cli-prov.test', '--given-name', 'Bob', '--family-name', 'Babbage']);
    await ok(['apps', 'assign', APP, 'user', 'ada@cli-prov.test', '--role', 'agent']);
    await ok(['apps', 'assign', APP, 'user', 'bob@cli-prov.test', '--role', 'end-user']);
    expect(await ok(['apps', 'provisioning', 'enable', APP])).toMatch(/^provisioning on: state /);
    const run = await cli(['apps', 'provisioning', 'run', APP, '--wait', '--json'], env, { tty: true });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'completed' });
    // The initial cycle (from enable) or this one created both; a later cycle finds them unchanged.
    const inZendesk = await snapshotUsers();
    expect(inZendesk.map((u) => u.email).sort()).toEqual(['ada@cli-prov.test', 'bob@cli-prov.test']);
    expect(inZendesk.find((u) => u.email === 'ada@cli-prov.test')).toMatchObject({ role: 'agent', name: 'Ada Lovelace' });

    const shown = await ok(['apps', 'provisioning', 'show', APP]);
    expect(shown).toMatch(/^enabled +on$/m);
    expect(shown).toMatch(new RegExp(`^connection +API token as ${DEFAULT_ACCOUNT.adminEmail.replace(/\./g, '\\.')} — connected since `, 'm'));
    expect(shown).toMatch(/^last cycle +(Initial|Periodic|On demand), completed at /m);
    expect(shown).toMatch(/^awaiting approval +no$/m);
    expect(shown).not.toContain(DEFAULT_ACCOUNT.apiToken);
    const json = JSON.parse(await ok(['apps', 'provisioning', 'show', APP, '--json'])) as Json;
    expect(json.config.connection).toMatchObject({ method: 'api_token', connected: true });
    expect(JSON.stringify(json)).not.toContain(DEFAULT_ACCOUNT.apiToken);

    expect(await ok(['apps', 'provisioning', 'logs', APP, '--action', 'create'])).toMatch(/user\s+ada@cli-prov\.test\s+Create user\s+Succeeded/);
  });

  it('provisions one user on demand, printing each step (works while paused)', async () => {
    // Paused, the outbox does not provision cyd first: on demand is what creates the account.
    expect(await ok(['apps', 'provisioning', 'pause', APP])).toMatch(/^provisioning paused: state paused/);
    await ok(['users', 'add', 'cyd@cli-prov.test', '--given-name', 'Cyd', '--family-name', 'Demand']);
    await ok(['apps', 'assign', APP, 'user', 'cyd@cli-prov.test', '--role', 'end-user']);
    const r = await ok(['apps', 'on-demand', APP, '--user', 'cyd@cli-prov.test']);
    expect(r).toMatch(/^connection /m);
    expect(r).toMatch(/^action +\S+/m);
    expect(r).toMatch(/^result: created$/m);
    expect((await snapshotUsers()).map((u) => u.email)).toContain('cyd@cli-prov.test');
    expect((await cli(['apps', 'on-demand', APP], env)).code).toBe(2);
  });

  it('dry-runs with a CSV export, lists the plan, previews a scoping filter; escrow is empty', async () => {
    // Still paused: dee waits for a cycle, so the dry run has a create to show.
    await ok(['users', 'add', 'dee@cli-prov.test', '--given-name', 'Dee', '--family-name', 'Dry']);
    await ok(['apps', 'assign', APP, 'user', 'dee@cli-prov.test', '--role', 'end-user']);
    const dry = await ok(['apps', 'dry-run', APP, '--wait', '--export', 'plan.csv'], {}, { cwd: dir });
    expect(dry).toMatch(/^dry run [0-9a-f-]{36}: .*Create user: 1/m);
    const csv = await fs.readFile(path.join(dir, 'plan.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('seq,identity,directoryId,targetId,action,changes,reason');
    expect(csv).toMatch(/dee@cli-prov\.test,[0-9a-f-]{36},,create,/);
    expect((await snapshotUsers()).map((u) => u.email)).not.toContain('dee@cli-prov.test');
    expect(await ok(['apps', 'plans', APP])).toMatch(/Dry run\s+Ready/);
    const planId = /^dry run ([0-9a-f-]{36}):/m.exec(dry)![1]!;
    expect(await ok(['apps', 'plan', 'show', APP, planId, '--action', 'create'])).toMatch(/^plan [0-9a-f-]{36}: Dry run, ready[\s\S]*\n\d+\s+dee@cli-prov\.test\s+Create user\s/);
    expect((await cli(['apps', 'dry-run', APP, '--export', 'x.csv'], env)).code).toBe(2);
    expect(await ok(['apps', 'provisioning', 'resume', APP])).toMatch(/^provisioning resumed: state /);

    await fs.writeFile(path.join(dir, 'filters.json'), JSON.stringify([{ name: 'only Ada', clauses: [{ attribute: 'email', operator: 'equals', value: 'ada@cli-prov.test' }] }]));
    const preview = await ok(['apps', 'scope-preview', APP, '--filters', 'filters.json'], {}, { cwd: dir });
    expect(preview).toMatch(/^in scope after +1$/m);
    expect(preview).toMatch(/^leaving +\d+: .*bob@cli-prov\.test/m);
    expect(await ok(['apps', 'escrow', 'list', APP])).toBe('(none)\n');
    expect(await ok(['apps', 'escrow', 'retry', APP])).toMatch(/^retry queued for +0$/m);
  });

  it('imports a Zendesk-only user: start --wait, items by category, confirm with the version --wait', async () => {
    const auth = `Basic ${Buffer.from(`${DEFAULT_ACCOUNT.adminEmail}/token:${DEFAULT_ACCOUNT.apiToken}`).toString('base64')}`;
    const made = await fetch(`${sandboxUrl}/${SUB}/api/v2/users.json`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ user: { name: 'Zed Only', email: 'zed@cli-prov.test', role: 'end-user' } }) });
    expect(made.status).toBe(201);

    const started = JSON.parse(await ok(['apps', 'import', 'start', APP, '--wait', '--json'])) as Json;
    expect(started.status).toBe('classified');
    expect(started.counts.new).toBeGreaterThanOrEqual(1);
    expect(await ok(['apps', 'import', 'items', APP, started.id, '--category', 'new'])).toMatch(/zed@cli-prov\.test\s+new/);
    expect(await ok(['apps', 'import', 'show', APP, started.id])).toMatch(/^status +classified$/m);

    const stale = await cli(['apps', 'import', 'confirm', APP, started.id, '--category', 'new', '--version', String(started.version + 5)], env);
    expect(stale).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error version_conflict: /) });
    const applied = await ok(['apps', 'import', 'confirm', APP, started.id, '--category', 'new', '--source-profile', 'target', '--version', String(started.version), '--wait']);
    expect(applied).toMatch(/^status +applied$/m);
    expect(await ok(['users', 'get', 'zed@cli-prov.test'])).toMatch(/Zed/);
  });

  it('exit 2 for a bad command line, 1 with the field for a bad value the API refuses', async () => {
    const noVersion = await cli(['apps', 'plan', 'approve', APP, '00000000-0000-4000-8000-000000000000'], env);
    expect(noVersion).toMatchObject({ code: 2, stderr: expect.stringMatching(/required option '--version <n>'/) });
    const badLinks = await cli(['apps', 'provisioning', 'restart', APP, '--links', 'maybe'], env);
    expect(badLinks.code).toBe(2);
    const badFrom = await cli(['apps', 'provisioning', 'logs', APP, '--from', 'yesterday'], env);
    expect(badFrom.code).toBe(1);
    expect(badFrom.stderr).toMatch(/^error validation_failed: [\s\S]*\n {2}query\.from: /);
    const noPlan = await cli(['apps', 'plan', 'approve', APP, '00000000-0000-4000-8000-000000000000', '--version', '1'], env);
    expect(noPlan).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error not_found: /) });
    expect((await cli(['apps', 'provisioning', 'show', 'No Such App'], env)).code).toBe(1);
  });

  it('restarts keeping links, and connects by OAuth: the Authorize URL opens on the sandbox for the port Roster really bound', async () => {
    expect(await ok(['apps', 'provisioning', 'restart', APP, '--links', 'keep'])).toMatch(/^restarted:\n[\s\S]*deletedLinks +0\n/);
    const out = await ok(['apps', 'provisioning', 'connect', APP, '--oauth-client-id', DEFAULT_ACCOUNT.oauthClientId], { ZENDESK_OAUTH_CLIENT_SECRET: DEFAULT_ACCOUNT.oauthClientSecret });
    expect(out).toContain(`${server.url}/provision/oauth/callback`);
    const authorizeUrl = /^ {2}(http\S+oauth\/authorizations\/new\S*)$/m.exec(out)?.[1];
    expect(authorizeUrl).toBeDefined();
    expect(new URL(authorizeUrl!).searchParams.get('redirect_uri')).toBe(`${server.url}/provision/oauth/callback`);
    const page = await fetch(authorizeUrl!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="user_email"');
  });

  it("connects any connector's method with --method and --field, secrets from standard input or the environment only", async () => {
    const name = 'SCIM CLI';
    await ok(['apps', 'add', 'scim', '--name', name, '--base-url', 'https://scim.example.test/scim/v2']);
    const unknown = await cli(['apps', 'provisioning', 'connect', name, '--method', 'api_token'], env);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('the application offers bearer, basic, oauth_client_credentials') });
    const inline = await cli(['apps', 'provisioning', 'connect', name, '--method', 'bearer', '--field', 'token=s3cret'], env);
    expect(inline).toMatchObject({ code: 2, stderr: expect.stringMatching(/--field token takes "-"/) });
    const noSecret = await cli(['apps', 'provisioning', 'connect', name, '--method', 'bearer'], env);
    expect(noSecret).toMatchObject({ code: 2, stderr: expect.stringContaining('set ROSTER_CONNECTION_TOKEN') });
    expect(await ok(['apps', 'provisioning', 'connect', name, '--method', 'bearer'], { ROSTER_CONNECTION_TOKEN: 'from-env' })).toMatch(/^saved the bearer connection/);
    const saved = await ok(['apps', 'provisioning', 'connect', name, '--method', 'basic', '--field', 'username=scim-admin', '--field', 'password=-'], {}, { stdin: 'from-stdin\n' });
    expect(saved).toMatch(/^saved the basic connection/);
    const shown = await ok(['apps', 'provisioning', 'show', name]);
    expect(shown).toMatch(/basic — connected since/);
    expect(shown).not.toContain('from-stdin');
  });
});
