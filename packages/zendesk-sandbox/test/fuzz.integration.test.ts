import { createHash } from 'node:crypto';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Router } from '../src/http/router.ts';
import { buildApiRouter } from '../src/routes/api-routes.ts';
import { startHarness, type Harness, type Json } from './harness.ts';
import { createPrng } from '../src/faults/prng.ts';

/**
 * Seeded, deterministic fuzzing over real HTTP: the request sequence is a pure function of SEED
 * (sent one at a time, so the server state it meets repeats too). Every answer must be a
 * well-formed HTTP response with a status a Zendesk client can act on; 5xx only while faults are on.
 */
const SEED = 0x5eed_2026;
const REQUESTS = 3000;
const FAULTY_REQUESTS = 400;

/** Route patterns the sandbox registers (read by watching Router.add while it builds its router). */
function routePatterns(): Array<{ method: string; pattern: string }> {
  const seen: Array<{ method: string; pattern: string }> = [];
  const original = Router.prototype.add;
  Router.prototype.add = function (this: Router<unknown>, method, pattern, route) {
    seen.push({ method, pattern });
    original.call(this, method, pattern, route);
  };
  try {
    buildApiRouter();
  } finally {
    Router.prototype.add = original;
  }
  return seen;
}

interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | undefined;
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Statuses a Zendesk client knows how to handle; anything else (or a 5xx) is a sandbox bug. */
const SENSIBLE = new Set([200, 201, 202, 204, 302, 400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 431]);

function send(agent: Agent, base: URL, r: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: base.hostname, port: base.port, path: r.path, method: r.method, headers: r.headers, agent, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${r.method} ${r.path}`)));
    req.on('error', reject);
    req.end(r.body);
  });
}

/** Writes raw bytes on a fresh socket; resolves with the status line the server sent, or '' if it just closed. */
function sendRaw(base: URL, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(base.port), base.hostname);
    let got = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`raw request hung: ${JSON.stringify(bytes.subarray(0, 60).toString('latin1'))}`));
    }, 5000);
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(got.split('\r\n')[0] ?? '');
    });
    socket.on('error', () => undefined);
    socket.end(bytes);
  });
}

/** The sandbox logs `[zendesk-sandbox] <error>` when a request reached its internal-error path. */
const internalErrors: string[] = [];
const consoleError = console.error;

let h: Harness;
let knownIds: number[] = [];
let ownerId = 0;
const credentials: Record<string, string> = {};

beforeAll(async () => {
  console.error = (...args: unknown[]) => {
    if (String(args[0]).startsWith('[zendesk-sandbox]')) internalErrors.push(args.map(String).join(' ').slice(0, 200));
    else consoleError(...args);
  };
  h = await startHarness();
  const snap = (await h.control('GET', '/__sandbox/accounts/acme/snapshot')).body;
  ownerId = snap.account.ownerId;
  const make = async (name: string, role: string) => (await h.call('POST', '/api/v2/users', { user: { name, email: `${name}@acme.test`, role } })).body.user as Json;
  const agent = await make('fuzz-agent', 'agent');
  const endUser = await make('fuzz-end', 'end-user');
  knownIds = [agent.id, endUser.id, ...snap.groups.map((g: Json) => g.id), ...snap.custom_roles.map((r: Json) => r.id), ...snap.group_memberships.map((m: Json) => m.id)];
  credentials.admin = h.admin;
  credentials.agent = h.tokenAuth('fuzz-agent@acme.test');
  credentials.endUser = h.tokenAuth('fuzz-end@acme.test');
});
afterAll(async () => {
  console.error = consoleError;
  await h.close();
});

function generator(seed: number) {
  const rnd = createPrng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const chance = (p: number) => rnd() < p;
  const routes = routePatterns();
  const junk = () => pick(['', '0', '-1', '1e9', 'null', '%00', '%ZZ', '..', 'a'.repeat(300), 'ünïcødé', '😀', '9'.repeat(40), '<script>', "' OR 1=1", 'current', 'show_many']);
  const idLike = () => String(chance(0.6) ? pick(knownIds) : chance(0.5) ? 6_164_039_664_282 + int(200) : int(1e6));
  const randomValue = (depth: number): unknown => {
    switch (int(depth > 3 ? 5 : 8)) {
      case 0: return null;
      case 1: return int(2) === 0;
      case 2: return chance(0.5) ? int(1e6) - 5e5 : rnd() * 1e20;
      case 3: return junk();
      case 4: return `${junk()}@${junk()}`;
      case 5: return Array.from({ length: int(4) }, () => randomValue(depth + 1));
      default: return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(['name', 'email', 'role', 'id', 'external_id', 'suspended', 'user', 'users', 'group', 'group_membership', 'user_id', 'group_id', 'tags', 'user_fields', 'custom_role_id', 'organization_id', junk()]), randomValue(depth + 1)]));
    }
  };

  const path = (): string => {
    let p: string;
    if (chance(0.8)) {
      p = pick(routes).pattern.replace(/:[a-z]+/g, () => (chance(0.8) ? idLike() : encodeURIComponent(junk())));
    } else {
      p = `/${Array.from({ length: 1 + int(5) }, () => pick(['api', 'v2', 'users', 'oauth', '__sandbox', 'accounts', 'acme', 'nope', '.json', '%2e%2e', '', encodeURIComponent(junk())])).join('/')}`;
    }
    if (chance(0.3)) p += '.json';
    if (chance(0.15)) p = `/${pick(['acme', 'nope', 'api', '__sandbox'])}${p}`;
    if (chance(0.6)) {
      const params = Array.from({ length: 1 + int(4) }, () => `${pick(['page[size]', 'page[after]', 'page[before]', 'page', 'per_page', 'ids', 'external_ids', 'query', 'external_id', 'start_time', 'cursor', 'role', 'role[]', 'include', 'sort', 'include_deleted', junk()])}=${encodeURIComponent(chance(0.3) ? Array.from({ length: int(150) }, idLike).join(',') : junk())}`);
      p += `?${params.join('&')}`;
    }
    return p;
  };

  const auth = (): string | undefined =>
    pick([
      credentials.admin, credentials.admin, credentials.agent, credentials.endUser, undefined,
      `Basic ${Buffer.from('admin@acme.test/token:wrong').toString('base64')}`,
      `Basic ${Buffer.from('admin@acme.test:pw-admin').toString('base64')}`,
      `Basic ${junk()}`, `Bearer ${junk()}`, 'Bearer', 'Digest x', junk(),
    ]);

  const body = (): { bytes: Buffer | undefined; type: string | undefined } => {
    switch (int(12)) {
      case 0: return { bytes: undefined, type: undefined };
      case 1: return { bytes: Buffer.from('{"user": {"name": '), type: 'application/json' };
      case 2: return { bytes: Buffer.from(`${'['.repeat(5000)}${']'.repeat(5000)}`), type: 'application/json' };
      case 3: return chance(0.3) ? { bytes: Buffer.alloc(chance(0.5) ? 3 * 1024 * 1024 : 2 * 1024 * 1024 + 1, 0x61), type: pick(['application/json', 'text/plain']) } : { bytes: Buffer.from(JSON.stringify({ user: { name: 'x'.repeat(int(500_000)) } })), type: 'application/json' };
      case 4: return { bytes: Buffer.from(Array.from({ length: int(200) }, () => int(256))), type: pick(['application/json', 'application/octet-stream', undefined]) };
      case 5: return { bytes: Buffer.from(new URLSearchParams({ grant_type: junk(), code: junk(), client_id: 'roster' }).toString()), type: 'application/x-www-form-urlencoded' };
      default: return { bytes: Buffer.from(JSON.stringify(randomValue(0))), type: pick(['application/json', 'application/json; charset=utf-8', 'text/plain', undefined]) };
    }
  };

  return (): FuzzRequest => {
    const b = body();
    const headers: Record<string, string> = {};
    const a = auth();
    if (a !== undefined) headers.authorization = a;
    if (b.type !== undefined) headers['content-type'] = b.type;
    if (chance(0.1)) headers['x-odd'] = 'v'.repeat(int(8000));
    if (chance(0.05)) headers.accept = junk() || '*/*';
    if (chance(0.05)) headers.cookie = `zd_sandbox_acme=${junk()}`;
    const method = pick(['GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);
    let p = path();
    // Never lock the fuzzer out: the owner admin stays unsuspended and undeleted.
    p = p.split(String(ownerId)).join(String(knownIds[0]));
    return { method, path: p, headers, body: method === 'GET' || method === 'HEAD' ? undefined : b.bytes };
  };
}

async function runFuzz(seed: number, count: number, allow: (a: Answer) => boolean): Promise<{ byStatus: Map<number, number>; bad: string[]; dropped: number }> {
  const next = generator(seed);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const base = new URL(h.url);
  const byStatus = new Map<number, number>();
  const bad: string[] = [];
  let dropped = 0;
  try {
    for (let i = 0; i < count; i++) {
      const r = next();
      let answer: Answer;
      try {
        answer = await send(agent, base, r);
      } catch (err) {
        // The server may close the socket (413 with connection: close, injected drops); a hang is a failure.
        if (/timeout/.test(String(err))) bad.push(`#${i} ${r.method} ${r.path.slice(0, 120)}: ${String(err)}`);
        dropped += 1;
        continue;
      }
      byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
      if (!allow(answer)) bad.push(`#${i} ${r.method} ${r.path.slice(0, 120)} → ${answer.status} ${answer.body.slice(0, 160)}`);
      const type = answer.headers['content-type'] ?? '';
      if (type.includes('application/json') && r.method !== 'HEAD') {
        try {
          JSON.parse(answer.body);
        } catch {
          bad.push(`#${i} ${r.method} ${r.path.slice(0, 120)} → ${answer.status} invalid JSON body`);
        }
      }
    }
  } finally {
    agent.destroy();
  }
  return { byStatus, bad, dropped };
}

async function stillServesMe(): Promise<void> {
  const me = await h.call('GET', '/api/v2/users/me');
  expect(me.status).toBe(200);
  expect(me.body.user).toMatchObject({ id: ownerId, role: 'admin' });
}

describe('fuzzing the sandbox over HTTP', () => {
  it(`answers ${REQUESTS} random requests with sensible statuses, never a 5xx`, async () => {
    internalErrors.length = 0;
    const { byStatus, bad } = await runFuzz(SEED, REQUESTS, (a) => SENSIBLE.has(a.status));
    expect(bad).toEqual([]);
    expect(internalErrors).toEqual([]);
    // The generator reaches the interesting answers, not just 404s.
    for (const status of [200, 400, 401, 403, 404, 413]) expect(byStatus.get(status) ?? 0, `status ${status} seen`).toBeGreaterThan(0);
    await stillServesMe();
  }, 60_000);

  it('the same seed produces the same request sequence', () => {
    const a = generator(SEED);
    const b = generator(SEED);
    // Bodies reach megabytes: compare a digest, not the buffers element by element.
    const digest = (r: FuzzRequest) => `${r.method} ${r.path} ${JSON.stringify(r.headers)} ${r.body ? createHash('sha1').update(r.body).digest('hex') : '-'}`;
    const first = Array.from({ length: 300 }, () => digest(a()));
    expect(Array.from({ length: 300 }, () => digest(b()))).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(250);
  });

  it('answers malformed HTTP on raw sockets with a 4xx or a close, never a 5xx or a hang', async () => {
    const base = new URL(h.url);
    const rnd = createPrng(SEED + 1);
    const cases: Buffer[] = [
      Buffer.from('GARBAGE\r\n\r\n'),
      Buffer.from('GET /api/v2/users/me HTTP/9.9\r\n\r\n'),
      Buffer.from(`GET /api/v2/users/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
      Buffer.from('POST /api/v2/users HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nContent-Length: 20\r\n\r\n0123456789'),
      Buffer.from('POST /api/v2/users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nnope\r\n0\r\n\r\n'),
      Buffer.from('GET /\x00 HTTP/1.1\r\n\r\n'),
      // The client stops mid-body: a 4xx for the client, not an internal error in the sandbox.
      Buffer.from(`POST /api/v2/users HTTP/1.1\r\nHost: x\r\nAuthorization: ${credentials.admin}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user":`),
      ...Array.from({ length: 30 }, () => Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 300) }, () => Math.floor(rnd() * 256)))),
    ];
    internalErrors.length = 0;
    for (const bytes of cases) {
      const line = await sendRaw(base, bytes);
      expect(line === '' || /^HTTP\/1\.[01] 4\d\d/.test(line), `status line ${JSON.stringify(line)} for ${JSON.stringify(bytes.subarray(0, 40).toString('latin1'))}`).toBe(true);
    }
    expect(internalErrors).toEqual([]);
    await stillServesMe();
  });

  it('with faults on, 5xx are only the injected 500/503 and dropped connections; afterwards it answers normally', async () => {
    const faults = { seed: 7, errorRate: 0.15, serviceUnavailableRate: 0.1, dropRate: 0.05, retryAfterSec: 1 };
    expect((await h.control('PUT', '/__sandbox/accounts/acme/faults', faults)).status).toBe(200);
    const { byStatus, bad, dropped } = await runFuzz(SEED + 2, FAULTY_REQUESTS, (a) => SENSIBLE.has(a.status) || a.status === 500 || a.status === 503);
    expect((await h.control('PUT', '/__sandbox/accounts/acme/faults', {})).status).toBe(200);
    expect(bad).toEqual([]);
    expect(byStatus.get(500) ?? 0).toBeGreaterThan(0);
    expect(byStatus.get(503) ?? 0).toBeGreaterThan(0);
    expect(dropped).toBeGreaterThan(0);
    await stillServesMe();
  }, 60_000);
});
