/**
 * How often one incremental batch reads the configuration, the assignments and the links (issue 15,
 * item 2), on a batch whose users are members of an assigned group with group provisioning on (the
 * path that reads the most). Counted without module mocks (integration files share their modules):
 * the run gets a database whose `select` notes which reader called it, from the call's stack.
 * Before the run skeleton: 2 config loads, 2 assignment reads, 3 link reads. Then the plan read each
 * once and the group apply read the links again after the users' creates, for the links this run had
 * just written. Now the memberships of accounts this run placed come from the users' answers
 * (apply/placed-users.ts), so the links are read once too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../../../zendesk-sandbox/src/index.ts';
import { createTestAdmin, TEST_SECRET_KEY_HEX } from '../../../test/test-app.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { buildApp } from '../../api/app.ts';
import type { ApiApp } from '../../api/context.ts';
import { loadConfig } from '../../config/config.ts';
import type { Db } from '../../db/database.ts';
import type { WorkerContext } from '../../jobs/handler.ts';
import { startQueue, type Queue } from '../../jobs/queue.ts';
import { type EngineEnv, engineEnvFrom } from './engine-env.ts';
import { runProvisioning } from '../reconcile/run-provisioning.ts';

interface Reads {
  config: number;
  assignments: number;
  links: number;
}

/** `db` whose `select` calls are counted by the reader that made them: the frame that called `select`, and the one above it. */
function countingDb(db: Db, reads: Reads): Db {
  const tally = (stack: string) => {
    const frames = stack.split('\n').slice(2, 4).join(' ');
    if (/at findConfigRow .*at (async )?loadProvisioningConfig /.test(frames)) reads.config += 1;
    else if (/at findAppRow .*at (async )?effectiveAssignments /.test(frames)) reads.assignments += 1;
    else if (/^\s*at readUserLinks /.test(frames)) reads.links += 1;
  };
  return new Proxy(db, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (prop !== 'select') return value.bind(target);
      return (...args: unknown[]) => {
        tally(new Error().stack ?? '');
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies read loosely in assertions

const silent = { info: () => undefined, error: () => undefined };

describe.each(openTestDatabase.drivers())('reads of one incremental batch on %s', (driver) => {
  let t: TestDatabase;
  let app: ApiApp;
  let queue: Queue;
  let sandbox: Sandbox;
  let sandboxUrl: string;
  let headers: { authorization: string };
  let env: EngineEnv;
  const reads: Reads = { config: 0, assignments: 0, links: 0 };

  beforeAll(async () => {
    sandbox = createSandbox();
    sandboxUrl = (await sandbox.listen(0)).url;
    t = await openTestDatabase(driver);
    queue = await startQueue(t.database, { supervise: false });
    const config = loadConfig({ ROSTER_LOG_LEVEL: 'silent', ROSTER_DATA_DIR: t.location.dataDir, ROSTER_SECRET_KEY: TEST_SECRET_KEY_HEX, ROSTER_ZENDESK_URL: `${sandboxUrl}/{subdomain}` });
    if (!config.ok) throw new Error(config.error.join('\n'));
    ({ app } = await buildApp({ database: t.database, config: config.value, queue }));
    headers = (await createTestAdmin(t.database.db, { role: 'owner' })).headers;
    const ctx: WorkerContext = { database: { ...t.database, db: countingDb(t.database.db, reads) }, queue, log: silent, config: config.value, secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex') };
    env = engineEnvFrom(ctx, { jobPollIntervalMs: 20 });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await queue?.stop({ graceful: true, wait: true, timeout: 10_000 });
    await t?.close();
    await sandbox?.close();
  });

  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown): Promise<Json> => {
    const r = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    if (r.statusCode >= 400) throw new Error(`${method} ${url} → ${r.statusCode} ${r.body}`);
    return r.body ? (r.json() as Json) : {};
  };

  it('loads the configuration once, reads the assignments once, and the links once (a new member is known from the answer to its create)', async () => {
    const sub = `reads-${driver}`;
    const { account } = (await (await fetch(`${sandboxUrl}/__sandbox/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subdomain: sub }) })).json()) as Json;
    const id = (await call('POST', '/api/apps', { type: 'zendesk', displayName: `Zendesk ${sub}`, settings: { subdomain: sub } })).id as string;
    await call('PUT', `/api/apps/${id}/provisioning/connection`, { version: (await call('GET', `/api/apps/${id}/provisioning`)).version, method: 'api_token', adminEmail: account.adminEmail, apiToken: account.apiToken });
    await call('PATCH', `/api/apps/${id}/provisioning`, { settings: { provisionGroups: true }, version: (await call('GET', `/api/apps/${id}/provisioning`)).version });
    await call('POST', `/api/apps/${id}/provisioning/enable`);
    const ada = (await call('POST', '/api/users', { email: `ada@${sub}.test`, givenName: 'Ada', familyName: 'Test', displayName: 'Ada Test' })).id as string;
    const group = (await call('POST', '/api/groups', { name: `Agents ${sub}` })).id as string;
    await call('POST', `/api/groups/${group}/members/bulk`, { members: [{ memberType: 'user', memberId: ada }] });
    await call('POST', `/api/apps/${id}/assignments`, { principalType: 'group', principalId: group, role: 'agent' });
    expect(await runProvisioning(env, id, 'initial')).toMatchObject({ status: 'done', stopped: false });

    const bob = (await call('POST', '/api/users', { email: `bob@${sub}.test`, givenName: 'Bob', familyName: 'Test', displayName: 'Bob Test' })).id as string;
    await call('POST', `/api/groups/${group}/members/bulk`, { members: [{ memberType: 'user', memberId: bob }] });
    Object.assign(reads, { config: 0, assignments: 0, links: 0 });
    expect(await runProvisioning(env, id, 'incremental', [bob, ada])).toMatchObject({ status: 'done', stopped: false });
    expect(reads).toEqual({ config: 1, assignments: 1, links: 1 });
  });
});
