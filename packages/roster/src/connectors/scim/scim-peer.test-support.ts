/**
 * An independent SCIM 2.0 server for the tests: SCIMMY (protocol: parsing, filters, PATCH, Bulk,
 * ListResponse, errors) behind scimmy-routers on express, with an in-memory store written here as
 * SCIMMY resource handlers (ingress/egress/degress). The store is the "app": it enforces unique
 * userName and email (409 uniqueness) and `filter.maxResults`; everything else is SCIMMY's.
 *
 * In front of it runs a small fault proxy (429 with Retry-After, 5xx, HTML pages, latency that
 * loses answers, dropped connections) and a client-credentials token endpoint.
 *
 * SCIMMY keeps its resources and config in module state: one peer per test file (vitest isolates files).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';
import { seededRandom } from '../../../test/seeded-random.ts';

export const PEER_TOKEN = 'peer-bearer-token';
export const PEER_BASIC = { username: 'scim-admin', password: 'peer-password' };
export const PEER_CLIENT = { clientId: 'roster-client', clientSecret: 'peer-client-secret' };
/** The app's own user extension, discovered by the connector from /Schemas. */
export const ACME_EXTENSION = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';

type Rec = Record<string, unknown> & { id: string };

export interface PeerFaults {
  /** The next N requests answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimit?: { count: number; retryAfterSeconds: number };
  /** The next N requests answer this 5xx. */
  serverError?: { count: number; status: number };
  /** The next N requests get an HTML error page (a proxy or load balancer in the way). */
  html?: { count: number; status: number };
  /** The next N requests have their connection dropped before any answer. */
  drop?: { count: number };
  /** Every answer is held this long after the server processed the request (answers lost to client timeouts). */
  latencyMs?: number;
  /**
   * Faults at random, from a seeded PRNG (the chaos test): per request, a 500, a 503 with
   * `Retry-After`, a connection dropped before the app sees the request or after it processed it
   * (the answer lost), and up to `latencyMaxMs` of latency; `stormCount` requests answered 429 first.
   * `loseAnswerAt`: the Nth request past the storm loses its answer whatever the roll, so a short run
   * (few requests) still sees at least one drop per fault set.
   */
  random?: { seed: number; errorRate: number; unavailableRate: number; retryAfterSeconds: number; dropRate: number; latencyMaxMs: number; stormCount?: number; loseAnswerAt?: number };
}

/** What the random faults did, for the chaos test's share of faulted requests. */
export interface PeerFaultStats {
  requests: number;
  injected: number;
  dropped: number;
  rateLimited: number;
}

/**
 * One write to an account, recorded by the store with the account's state just before it (the
 * shape of the chaos write audit's `RecordedWrite`, test/chaos/write-audit.ts): `user.update`
 * (PUT or PATCH, alone or inside /Bulk; `body.external_id` is the externalId after the write),
 * `user.delete`, and per member `membership.create` / `membership.delete` (a group PATCH or PUT
 * that adds or removes it; the membership id is the connector's `group:user`). The app's own
 * cascade (a deleted user leaving its groups) is not a write.
 */
export interface ScimWrite {
  seq: number;
  at: string;
  method: string;
  path: string;
  kind: 'user.update' | 'user.delete' | 'membership.create' | 'membership.delete';
  userId: string;
  before: { id: string; external_id: string | null; email: string | null; name: string; suspended: boolean; active: boolean } | null;
  body: unknown;
  createdId?: string;
}

export interface PeerOptions {
  bulk?: boolean | { maxOperations: number; maxPayloadSize: number };
  /** Advertised PATCH support (SCIMMY still serves PATCH; the connector must not use it when false). */
  patch?: boolean;
  maxResults?: number;
  /**
   * A declared rate limit: at most this many requests in any 60 s (a sliding window); above it the
   * proxy answers 429 with `Retry-After` (seconds until the oldest counted request leaves the window).
   * Every answer carries `X-RateLimit-Limit` / `-Remaining` / `-Reset` and `RateLimit-Policy: N;w=60`.
   */
  requestsPerMinute?: number;
  /** Start from an empty store (users and groups are shared by every peer of the process). */
  empty?: boolean;
  /**
   * How long the proxy keeps an idle kept-alive connection (Node's `server.keepAliveTimeout`;
   * default Node's 5 s; 0: never closes one, the client does). While SCIMMY blocks the event loop
   * past this (a 1,000-operation /Bulk: seconds), a request the client sends on an idle connection
   * is lost: the timer closes the connection before the request is read (README *Lost `/Bulk` requests*).
   */
  keepAliveTimeoutMs?: number;
}

export interface ScimPeer {
  /** The SCIM root behind the fault proxy, e.g. `http://127.0.0.1:1234/scim/v2`. */
  baseUrl: string;
  /** The client-credentials token endpoint. */
  tokenUrl: string;
  faults(f: PeerFaults): void;
  /** Changes what ServiceProviderConfig advertises (SCIMMY.Config.set). */
  configure(c: PeerOptions): void;
  users(): Rec[];
  groups(): Rec[];
  /** Every write to an account since the store was emptied (ScimWrite). */
  writes(): ScimWrite[];
  /** Requests seen by the proxy, by method and path, the query apart, with the body sent, the answer's status and size in bytes, when it arrived and when it was answered (ms); and tokens issued. */
  requests: { method: string; path: string; query: string; status: number; body: string; answerBytes: number; arrivedAt: number; answeredAt: number; error?: string }[];
  /** Sets (or, with null, lifts) the declared rate limit. */
  limit(requestsPerMinute: number | null): void;
  tokensIssued(): number;
  /** Counts of the random faults (and of every request the proxy saw) since the peer started. */
  faultStats(): PeerFaultStats;
  close(): Promise<void>;
}

const users = new Map<string, Rec>();
const groups = new Map<string, Rec>();
const writes: ScimWrite[] = [];

/** An account's identity as the write audit reads it. */
function stateOf(u: Rec | undefined): ScimWrite['before'] {
  if (!u) return null;
  const emails = (u['emails'] as { value?: string; primary?: boolean }[] | undefined) ?? [];
  return {
    id: u.id,
    external_id: typeof u['externalId'] === 'string' ? u['externalId'] : null,
    email: (emails.find((e) => e.primary) ?? emails[0])?.value ?? null,
    name: typeof u['displayName'] === 'string' ? u['displayName'] : '',
    suspended: u['active'] === false,
    active: true,
  };
}
const record = (w: Omit<ScimWrite, 'seq' | 'at'>) => writes.push({ seq: writes.length + 1, at: new Date().toISOString(), ...w });
/** The connector's membership id (connectors/scim/groups.ts `membershipIdOf`). */
const membershipId = (groupId: string, userId: string) => `${encodeURIComponent(groupId)}:${encodeURIComponent(userId)}`;
const issuedTokens = new Set<string>();
let maxResults = 50;
let declared = false;

const plain = (v: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
const emailsOf = (r: Record<string, unknown>): string[] => (Array.isArray(r['emails']) ? (r['emails'] as { value?: unknown }[]).map((e) => String(e.value ?? '').toLowerCase()) : []);

function checkUnique(rec: Record<string, unknown>, id: string | undefined): void {
  const userName = String(rec['userName'] ?? '').toLowerCase();
  const emails = emailsOf(rec);
  for (const other of users.values()) {
    if (other.id === id) continue;
    if (String(other['userName'] ?? '').toLowerCase() === userName) throw new SCIMMY.Types.Error(409, 'uniqueness', `userName "${String(rec['userName'])}" is already taken`);
    const taken = emailsOf(other).find((e) => emails.includes(e));
    if (taken) throw new SCIMMY.Types.Error(409, 'uniqueness', `Email ${taken} is already in use`);
  }
}

/** The "app" side of the list: SCIMMY's filter, and at most maxResults per page (RFC 7644 §3.4.2.4). */
function listOf(resource: SCIMMY.Types.Resource<never>, all: Rec[]): Rec[] {
  const r = resource as unknown as { id?: string; filter?: { match(v: unknown[]): Rec[] }; constraints?: { count?: number } };
  if (r.id) {
    const found = all.find((x) => x.id === r.id);
    if (!found) throw new SCIMMY.Types.Error(404, null as unknown as string, `Resource ${r.id} not found`);
    return [found];
  }
  const matched = r.filter ? r.filter.match(all) : all;
  const constraints = r.constraints ?? {};
  if (!r.constraints) (r as { constraints?: unknown }).constraints = constraints;
  constraints.count = Math.min(constraints.count ?? maxResults, maxResults);
  return matched;
}

function declareResources(): void {
  if (declared) return;
  declared = true;
  const acme = new SCIMMY.Types.SchemaDefinition('AcmeUser', ACME_EXTENSION, 'Acme app attributes', [
    new SCIMMY.Types.Attribute('string', 'costCenter', { description: 'Cost center code' }),
    new SCIMMY.Types.Attribute('boolean', 'contractor', { description: 'Works under contract' }),
  ]);
  SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .extend(SCIMMY.Schemas.EnterpriseUser, false)
    .extend(acme as never, false)
    .ingress((resource, instance) => {
      const id = (resource as { id?: string }).id;
      const data = plain(instance);
      delete data['meta'];
      if (id && !users.has(id)) throw new SCIMMY.Types.Error(404, null as unknown as string, `Resource ${id} not found`);
      checkUnique(data, id);
      const now = new Date().toISOString();
      const prev = id ? users.get(id) : undefined;
      const rec: Rec = { ...data, id: id ?? randomUUID(), meta: { created: (prev?.['meta'] as { created?: string } | undefined)?.created ?? now, lastModified: now } };
      if (id) record({ method: 'PATCH/PUT', path: `/Users/${id}`, kind: 'user.update', userId: id, before: stateOf(prev), body: { external_id: typeof data['externalId'] === 'string' ? data['externalId'] : null } });
      users.set(rec.id, rec);
      return rec as never;
    })
    .egress((resource) => listOf(resource as never, [...users.values()]) as never)
    .degress((resource) => {
      const id = (resource as { id?: string }).id ?? '';
      if (users.has(id)) record({ method: 'DELETE', path: `/Users/${id}`, kind: 'user.delete', userId: id, before: stateOf(users.get(id)), body: null });
      if (!users.delete(id)) throw new SCIMMY.Types.Error(404, null as unknown as string, `Resource ${id} not found`);
      for (const g of groups.values()) if (Array.isArray(g['members'])) g['members'] = (g['members'] as { value: string }[]).filter((m) => m.value !== id);
    });
  SCIMMY.Resources.declare(SCIMMY.Resources.Group)
    .ingress((resource, instance) => {
      const id = (resource as { id?: string }).id;
      if (id && !groups.has(id)) throw new SCIMMY.Types.Error(404, null as unknown as string, `Resource ${id} not found`);
      const data = plain(instance);
      delete data['meta'];
      const members = Array.isArray(data['members']) ? (data['members'] as { value: string }[]) : [];
      for (const m of members) if (!users.has(m.value)) throw new SCIMMY.Types.Error(400, 'invalidValue', `Member ${m.value} is not a user`);
      // The app keeps one membership per user.
      data['members'] = [...new Map(members.map((m) => [m.value, { value: m.value }])).values()];
      const now = new Date().toISOString();
      const rec: Rec = { ...data, id: id ?? randomUUID(), meta: { created: now, lastModified: now } };
      const had = new Set(((id ? groups.get(id)?.['members'] : undefined) as { value: string }[] | undefined)?.map((m) => m.value) ?? []);
      const has = new Set((data['members'] as { value: string }[]).map((m) => m.value));
      for (const u of has) if (!had.has(u)) record({ method: 'PATCH/PUT', path: `/Groups/${rec.id}`, kind: 'membership.create', userId: u, before: stateOf(users.get(u)), body: { add: u }, createdId: membershipId(rec.id, u) });
      for (const u of had) if (!has.has(u)) record({ method: 'PATCH/PUT', path: `/Groups/${rec.id}`, kind: 'membership.delete', userId: u, before: stateOf(users.get(u)), body: { id: membershipId(rec.id, u) } });
      groups.set(rec.id, rec);
      return rec as never;
    })
    .egress((resource) => listOf(resource as never, [...groups.values()]) as never)
    .degress((resource) => {
      const id = (resource as { id?: string }).id ?? '';
      if (!groups.delete(id)) throw new SCIMMY.Types.Error(404, null as unknown as string, `Resource ${id} not found`);
    });
}

function configure(c: PeerOptions): void {
  if (c.maxResults !== undefined) maxResults = c.maxResults;
  const filter = { supported: true, maxResults };
  if (c.patch !== undefined) SCIMMY.Config.set({ patch: c.patch });
  if (c.bulk === undefined) SCIMMY.Config.set({ filter });
  else if (typeof c.bulk === 'boolean') SCIMMY.Config.set({ filter, bulk: { supported: c.bulk, maxOperations: 1000, maxPayloadSize: 1048576 } });
  else SCIMMY.Config.set({ filter, bulk: { supported: true, ...c.bulk } });
}

const listen = (server: http.Server): Promise<number> =>
  new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

export async function startScimPeer(options: PeerOptions = {}): Promise<ScimPeer> {
  declareResources();
  // The store is SCIMMY's module state, shared by every peer of the process; a run that starts peers one after another empties it.
  if (options.empty) {
    users.clear();
    groups.clear();
    writes.length = 0;
  }
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  let tokens = 0;
  app.post('/oauth/token', (req, res) => {
    const basic = Buffer.from((req.header('authorization') ?? '').replace(/^Basic /, ''), 'base64').toString();
    const body = req.body as Record<string, string>;
    const [id, secret] = basic.includes(':') ? basic.split(':') : [body['client_id'], body['client_secret']];
    if (body['grant_type'] !== 'client_credentials' || id !== PEER_CLIENT.clientId || secret !== PEER_CLIENT.clientSecret) {
      res.status(401).json({ error: 'invalid_client' });
      return;
    }
    const token = `cc-${randomBytes(8).toString('hex')}`;
    issuedTokens.add(token);
    tokens += 1;
    res.json({ access_token: token, token_type: 'Bearer', expires_in: 3600 });
  });
  app.post('/oauth/revoke-all', (_req, res) => {
    issuedTokens.clear();
    res.status(204).end();
  });
  app.use(
    '/scim/v2',
    new SCIMMYRouters({
      type: 'bearer',
      handler: (req) => {
        const auth = req.header('authorization') ?? '';
        if (auth === `Bearer ${PEER_TOKEN}`) return 'token-client';
        if (auth.startsWith('Bearer ') && issuedTokens.has(auth.slice(7))) return 'oauth-client';
        if (auth === `Basic ${Buffer.from(`${PEER_BASIC.username}:${PEER_BASIC.password}`).toString('base64')}`) return 'basic-client';
        throw new Error('Authorization failed');
      },
    }) as unknown as express.Router,
  );
  configure(options);
  const upstream = http.createServer(app);
  const upstreamPort = await listen(upstream);

  let faults: PeerFaults = {};
  let perMinute = options.requestsPerMinute ?? null;
  /** Arrival times (ms) of the requests counted against the limit in the last 60 s. */
  const window: number[] = [];
  const requests: ScimPeer['requests'] = [];
  const stats: PeerFaultStats = { requests: 0, injected: 0, dropped: 0, rateLimited: 0 };
  let chance: (() => number) | null = null;
  /** Requests that rolled for a random fault since the fault set was applied (for `loseAnswerAt`). */
  let randomRolls = 0;
  const scimError = (res: http.ServerResponse, status: number, headers: Record<string, string>, detail: string) => {
    res.writeHead(status, { 'content-type': 'application/scim+json', ...headers });
    res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail }));
  };
  const take = (f: { count: number } | undefined): boolean => {
    if (!f || f.count <= 0) return false;
    f.count -= 1;
    return true;
  };
  const proxy = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const arrivedAt = Date.now();
    const sent: Buffer[] = [];
    req.on('data', (c: Buffer) => sent.push(c));
    const seen = (status: number, answerBytes = 0) => requests.push({ method: req.method ?? '', path, query: (req.url ?? '').split('?')[1] ?? '', status, body: Buffer.concat(sent).toString(), answerBytes, arrivedAt, answeredAt: Date.now() });
    const limitHeaders: Record<string, string> = {};
    if (perMinute !== null) {
      const now = Date.now();
      while (window.length > 0 && window[0]! <= now - 60_000) window.shift();
      if (window.length >= perMinute) {
        const body = JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429', detail: `Rate limit of ${perMinute} requests per minute exceeded` });
        req.resume();
        req.on('end', () => seen(429, body.length));
        const wait = String(Math.max(1, Math.ceil((window[0]! + 60_000 - now) / 1000)));
        res.writeHead(429, { 'content-type': 'application/scim+json', 'retry-after': wait, 'x-ratelimit-limit': String(perMinute), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': wait, 'ratelimit-policy': `${perMinute};w=60` });
        res.end(body);
        return;
      }
      window.push(now);
      limitHeaders['x-ratelimit-limit'] = String(perMinute);
      limitHeaders['x-ratelimit-remaining'] = String(perMinute - window.length);
      // When the oldest counted request leaves the window, and the window itself (the IETF draft's policy).
      limitHeaders['x-ratelimit-reset'] = String(Math.max(0, Math.ceil((window[0]! + 60_000 - now) / 1000)));
      limitHeaders['ratelimit-policy'] = `${perMinute};w=60`;
    }
    stats.requests += 1;
    /** Random faults: decided before the request reaches the app, except the lost answer (decided after). */
    let loseAnswer = false;
    let extraLatency = 0;
    const rf = faults.random;
    if (rf && chance && path.includes('/scim/')) {
      if (rf.stormCount && rf.stormCount > 0) {
        rf.stormCount -= 1;
        stats.injected += 1;
        stats.rateLimited += 1;
        req.resume();
        req.on('end', () => seen(429));
        scimError(res, 429, { 'retry-after': String(rf.retryAfterSeconds) }, 'Too many requests (storm)');
        return;
      }
      const roll = chance();
      extraLatency = Math.floor(chance() * rf.latencyMaxMs);
      randomRolls += 1;
      if (randomRolls === rf.loseAnswerAt) {
        stats.injected += 1;
        stats.dropped += 1;
        loseAnswer = true;
      } else if (roll < rf.errorRate + rf.unavailableRate) {
        stats.injected += 1;
        const unavailable = roll >= rf.errorRate;
        req.resume();
        req.on('end', () => seen(unavailable ? 503 : 500));
        setTimeout(() => scimError(res, unavailable ? 503 : 500, unavailable ? { 'retry-after': String(rf.retryAfterSeconds) } : {}, 'Injected failure'), extraLatency);
        return;
      } else if (roll < rf.errorRate + rf.unavailableRate + rf.dropRate / 2) {
        stats.injected += 1;
        stats.dropped += 1;
        seen(0);
        req.socket.destroy();
        return;
      } else if (roll < rf.errorRate + rf.unavailableRate + rf.dropRate) {
        stats.injected += 1;
        stats.dropped += 1;
        loseAnswer = true;
      }
    }
    if (take(faults.drop)) {
      seen(0);
      req.socket.destroy();
      return;
    }
    if (faults.rateLimit && take(faults.rateLimit)) {
      seen(429);
      res.writeHead(429, { 'content-type': 'application/scim+json', 'retry-after': String(faults.rateLimit.retryAfterSeconds) });
      res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429', detail: 'Too many requests' }));
      return;
    }
    if (faults.serverError && take(faults.serverError)) {
      seen(faults.serverError.status);
      res.writeHead(faults.serverError.status, { 'content-type': 'application/scim+json' });
      res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(faults.serverError.status), detail: 'Backend unavailable' }));
      return;
    }
    if (faults.html && take(faults.html)) {
      seen(faults.html.status);
      res.writeHead(faults.html.status, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    }
    // A connection of its own per request (agent: false): the proxy and the app share one event loop, so a kept-alive hop between them would lose requests the same way (see keepAliveTimeoutMs).
    const forward = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers, agent: false }, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        const send = () => {
          const answer = Buffer.concat(chunks);
          seen(loseAnswer ? 0 : (up.statusCode ?? 0), answer.length);
          if (res.destroyed) return;
          if (loseAnswer) {
            // The app did the work; the answer never arrives.
            res.destroy();
            return;
          }
          res.writeHead(up.statusCode ?? 502, { ...up.headers, ...limitHeaders });
          res.end(answer);
        };
        const delay = (faults.latencyMs ?? 0) + extraLatency;
        if (delay > 0) setTimeout(send, delay);
        else send();
      });
    });
    forward.on('error', (e: NodeJS.ErrnoException) => {
      // The proxy lost its own connection to the app (recorded, so a request lost here is told apart from one that never reached the proxy).
      seen(0);
      requests.at(-1)!.error = `proxy → app: ${e.code ?? e.message}`;
      res.destroy();
    });
    req.pipe(forward);
  });
  if (options.keepAliveTimeoutMs !== undefined) proxy.keepAliveTimeout = options.keepAliveTimeoutMs;
  const port = await listen(proxy);
  const root = `http://127.0.0.1:${port}`;
  return {
    baseUrl: `${root}/scim/v2`,
    tokenUrl: `${root}/oauth/token`,
    faults: (f) => {
      faults = structuredClone(f);
      chance = f.random ? seededRandom(f.random.seed) : null;
      randomRolls = 0;
    },
    faultStats: () => ({ ...stats }),
    configure,
    limit: (n) => {
      perMinute = n;
      window.length = 0;
    },
    users: () => [...users.values()],
    groups: () => [...groups.values()],
    writes: () => [...writes],
    requests,
    tokensIssued: () => tokens,
    async close() {
      proxy.closeAllConnections();
      upstream.closeAllConnections();
      await Promise.all([new Promise((r) => proxy.close(r)), new Promise((r) => upstream.close(r))]);
    },
  };
}
