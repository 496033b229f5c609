/**
 * Single-user calls (RFC 7644 §3.3 create, §3.4 read and search, §3.5 PUT and PATCH, §3.6
 * delete). Creates are idempotent (DESIGN §3.5): every create carries `externalId`, and a create
 * whose outcome is unknown (timeout, dropped connection, 5xx, a 2xx without an id) or refused as a
 * duplicate (409) is followed by a look-up by externalId, adopting the account that is there.
 */
import { z } from 'zod';
import { err, ok } from '../../errors/result.ts';
import type { ConnectorError, ConnectorResult, TargetUser, TargetUserInput, UserClient } from '../contract.ts';
import { refusedPatch, usesPatch, type ScimContext } from './context.ts';
import type { ScimDiscovery } from './discovery.ts';
import { createManagerRefs } from './manager.ts';
import { errorFromResponse, parseScimError, scimError, unexpectedResponse } from './errors.ts';
import { filtersFor, holds, matchPath } from './filter.ts';
import { retryAfterSeconds, type HttpReply } from './http.ts';
import { collect, indexPages } from './paging.ts';
import { applyOperations, patchBody, patchOperations, scimUserSchema, toScimResource, toTargetUser, type PatchOperation, type ScimUser } from './user-shape.ts';

const CREATE_ATTEMPTS = 3;
/** Clock difference allowed between Roster and the app when telling our own create from an older account. */
const CREATED_SKEW_MS = 2 * 60_000;
/** Values or ids per search request (each value may be asked in two cases, see filter.ts). */
const VALUES_PER_SEARCH = 50;
const rawUserSchema = scimUserSchema.and(z.record(z.string(), z.unknown()));

export type SingleUserCalls = Omit<UserClient, 'createMany' | 'updateMany'>;

export interface UserTools {
  calls: SingleUserCalls;
  /** Accounts holding any of the values at a SCIM path (`externalId`, `userName`, `emails`, `id`). */
  search(path: string, values: readonly string[]): Promise<ConnectorResult<TargetUser[]>>;
  /** Replaces the manager's externalId with their SCIM id (or drops it when unknown). */
  resolveManager(attributes: Record<string, unknown>): Promise<ConnectorResult<Record<string, unknown>>>;
  /** The uniqueness error of a refused create, naming the fields whose values the app named. */
  uniquenessFields(error: ConnectorError, input: TargetUserInput): ConnectorError;
}

/**
 * `If-Match` takes an entity tag (RFC 9110 §8.8.3: `"…"` or `W/"…"`); `meta.version` is meant to
 * be one (RFC 7643 §3.1), but some apps write the bare value: it is quoted here.
 */
export const entityTag = (version: string): string => {
  const v = version.trim();
  return /^(W\/)?".*"$/.test(v) ? v : JSON.stringify(v.replace(/"/g, ''));
};

export const userPath = (d: ScimDiscovery, id: string) => `${d.usersEndpoint}/${encodeURIComponent(id)}`;

export function createUserCalls(ctx: ScimContext): UserTools {
  const { http, deps } = ctx;

  /** Versions are kept only for apps with ETags (a long listing would fill memory for nothing). */
  const remember = (d: ScimDiscovery, u: ScimUser, reply?: HttpReply) => {
    if (!d.features.etag) return;
    const version = reply?.headers.get('etag') ?? u.meta?.version ?? null;
    if (version) ctx.versions.set(u.id, entityTag(version));
  };
  const toTarget = (d: ScimDiscovery, raw: unknown, reply?: HttpReply): ConnectorResult<TargetUser> => {
    const p = rawUserSchema.safeParse(raw);
    if (!p.success) {
      const issue = p.error.issues[0];
      return err(unexpectedResponse('a User', issue ? `${issue.path.join('.') || 'body'} ${issue.message}` : 'unreadable'));
    }
    remember(d, p.data, reply);
    return ok(toTargetUser(p.data, d.userExtensions));
  };
  const notFound = (id: string) => scimError('not_found', 'object', `The app has no user ${id}`, 'The user was removed in the app; the next cycle re-creates or unlinks it.');

  /** The raw resource and the reply, or null on 404. */
  const readRaw = async (d: ScimDiscovery, id: string): Promise<ConnectorResult<{ raw: Record<string, unknown>; reply: HttpReply } | null>> => {
    const r = await http.send({ method: 'GET', path: userPath(d, id) });
    if (!r.ok) return r;
    if (r.value.status === 404) return ok(null);
    if (r.value.status < 200 || r.value.status >= 300 || parseScimError(r.value.body).html) return err(errorFromResponse(r.value.status, r.value.body, retryAfterSeconds(r.value.headers, deps.now())));
    const p = rawUserSchema.safeParse(r.value.body);
    if (!p.success) return err(unexpectedResponse(`GET ${userPath(d, id)}`, 'not a SCIM User'));
    remember(d, p.data, r.value);
    return ok({ raw: p.data, reply: r.value });
  };

  const search = async (path: string, values: readonly string[]): Promise<ConnectorResult<TargetUser[]>> => {
    const d = await ctx.discovery();
    if (!d.ok) return d;
    const wanted = values.filter((v) => v !== '');
    if (wanted.length === 0) return ok([]);
    const max = d.value.features.filter.maxResults;
    const found = new Map<string, TargetUser>();
    const keep = (raw: unknown): ConnectorResult<void> => {
      const t = toTarget(d.value, raw);
      if (!t.ok) return t;
      if (wanted.some((v) => holds(raw as Record<string, unknown>, path, v))) found.set(t.value.id, t.value);
      return ok(undefined);
    };
    const anySchema = z.looseObject({ id: z.union([z.string().min(1), z.number()]).transform(String) });
    if (!d.value.features.filter.supported) {
      // No filtering: read everything once and match here (slow, but correct).
      for await (const page of indexPages(http, d.value.usersEndpoint, anySchema, { count: max })) {
        if (!page.ok) return page;
        for (const raw of page.value) {
          const k = keep(raw);
          if (!k.ok) return k;
        }
      }
      return ok([...found.values()]);
    }
    const filters = filtersFor(path, wanted, VALUES_PER_SEARCH);
    const answers = await Promise.all(filters.map((filter) => collect(indexPages(http, d.value.usersEndpoint, anySchema, { count: max, query: { filter } }))));
    for (const a of answers) {
      if (!a.ok) return a;
      for (const raw of a.value) {
        const k = keep(raw);
        if (!k.ok) return k;
      }
    }
    return ok([...found.values()]);
  };

  const findByMany = async (field: string, values: readonly string[]): Promise<ConnectorResult<TargetUser[]>> => {
    const path = matchPath(field, ctx.config.emailFilter);
    if (!path.ok) return path;
    return search(path.value, values);
  };

  const managers = createManagerRefs(search, deps);
  const resolveManager = managers.toIds;

  const uniquenessFields = (error: ConnectorError, input: TargetUserInput): ConnectorError => {
    const body = toScimResource(input);
    const sent: Record<string, unknown> = { userName: body['userName'], email: input.attributes['email'], external_id: input.externalId };
    const named = Object.entries(sent).filter(([, v]) => typeof v === 'string' && v !== '' && error.message.toLowerCase().includes(v.toLowerCase()));
    const fields = Object.fromEntries((named.length > 0 ? named : Object.entries(sent).filter(([, v]) => typeof v === 'string' && v !== '')).map(([k]) => [k, [error.message]]));
    return { ...error, fields };
  };

  /**
   * The account an earlier attempt of this create made: by externalId; for apps that drop
   * externalId, the one account with our userName, no externalId, created since our first attempt.
   */
  const adopt = async (input: TargetUserInput, userName: unknown, since: number): Promise<ConnectorResult<TargetUser | null>> => {
    const found = await search('externalId', [input.externalId]);
    if (!found.ok) return found;
    const user = found.value[0] ?? null;
    if (user) {
      deps.log?.({ msg: 'scim create adopted an existing user by externalId', externalId: input.externalId, id: user.id });
      return ok(user);
    }
    const d = await ctx.discovery();
    if (!d.ok || !d.value.features.filter.supported || typeof userName !== 'string' || userName === '') return ok(null);
    const filter = filtersFor('userName', [userName], 1)[0] ?? '';
    const listed = await collect(indexPages(http, d.value.usersEndpoint, rawUserSchema, { count: d.value.features.filter.maxResults, query: { filter } }));
    if (!listed.ok) return listed;
    const ours = listed.value.filter((u) => holds(u, 'userName', userName) && !u.externalId && Date.parse(u.meta?.created ?? '') >= since - CREATED_SKEW_MS);
    if (ours.length !== 1 || !ours[0]) return ok(null);
    deps.log?.({ msg: 'scim create adopted its own account by userName (the app keeps no externalId)', userName, id: ours[0].id });
    return ok(toTargetUser(ours[0], d.value.userExtensions));
  };

  /** PATCH (or PUT of the whole resource when the app has no PATCH), with If-Match when known. */
  const write = async (d: ScimDiscovery, id: string, ops: PatchOperation[], again = true): Promise<ConnectorResult<TargetUser>> => {
    const etag = d.features.etag ? ctx.versions.get(id) : undefined;
    let r: ConnectorResult<HttpReply>;
    if (usesPatch(ctx, d)) {
      r = await http.send({ method: 'PATCH', path: userPath(d, id), body: patchBody(ops), ...(etag ? { ifMatch: etag } : {}) });
      if (r.ok && refusedPatch(ctx, r.value.status)) return write(d, id, ops, again);
    } else {
      const current = await readRaw(d, id);
      if (!current.ok) return current;
      if (!current.value) return err(notFound(id));
      // meta and groups are readOnly (RFC 7643 §3.1, §4.1.2): not written back.
      const { meta: _meta, groups: _groups, ...resource } = current.value.raw;
      const version = d.features.etag ? ctx.versions.get(id) : undefined;
      r = await http.send({ method: 'PUT', path: userPath(d, id), body: applyOperations(resource, ops), ...(version ? { ifMatch: version } : {}) });
    }
    if (!r.ok) return r;
    const { status, body, headers } = r.value;
    if (status === 404) return err(notFound(id));
    if (status === 412 && again) {
      // Changed since Roster read it: read the new version, then write once more.
      const fresh = await readRaw(d, id);
      if (!fresh.ok) return fresh;
      if (!fresh.value) return err(notFound(id));
      return write(d, id, ops, false);
    }
    if (status < 200 || status >= 300) return err(errorFromResponse(status, body, retryAfterSeconds(headers, deps.now())));
    if (status === 204 || body === null) {
      const fresh = await readRaw(d, id);
      if (!fresh.ok) return fresh;
      return fresh.value ? toTarget(d, fresh.value.raw, fresh.value.reply) : err(notFound(id));
    }
    return toTarget(d, body, r.value);
  };

  const plain: SingleUserCalls = {
    async *list(options) {
      const d = await ctx.discovery();
      if (!d.ok) {
        yield d;
        return;
      }
      const max = d.value.features.filter.maxResults;
      for await (const page of indexPages(http, d.value.usersEndpoint, rawUserSchema, { count: Math.min(options?.pageSize ?? max, max) })) {
        if (!page.ok) {
          yield page;
          continue;
        }
        for (const u of page.value) remember(d.value, u);
        yield ok(page.value.map((u) => toTargetUser(u, d.value.userExtensions)));
      }
    },
    async get(id) {
      const d = await ctx.discovery();
      if (!d.ok) return d;
      const r = await readRaw(d.value, id);
      if (!r.ok) return r;
      return r.value ? toTarget(d.value, r.value.raw, r.value.reply) : ok(null);
    },
    async getMany(ids) {
      const r = await search('id', ids);
      if (r.ok || r.error.code !== 'scim.invalid_filter') return r;
      // Apps that refuse filtering by id: one read per id.
      const out: TargetUser[] = [];
      for (const id of new Set(ids)) {
        const u = await plain.get(id);
        if (!u.ok) return u;
        if (u.value) out.push(u.value);
      }
      return ok(out);
    },
    findBy: (field, value) => findByMany(field, [value]),
    findByMany,
    async create(input) {
      const d = await ctx.discovery();
      if (!d.ok) return d;
      const attrs = await resolveManager(input.attributes);
      if (!attrs.ok) return attrs;
      const body = toScimResource({ ...input, attributes: attrs.value });
      let lastError = scimError('unavailable', 'transient', 'The app did not confirm the create', 'Roster retries; the user is looked up by externalId first.');
      const since = deps.now();
      for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt += 1) {
        const r = await http.send({ method: 'POST', path: d.value.usersEndpoint, body });
        if (r.ok && r.value.status >= 200 && r.value.status < 300) {
          if (parseScimError(r.value.body).html) return err(errorFromResponse(r.value.status, r.value.body));
          const t = toTarget(d.value, r.value.body, r.value);
          if (t.ok) return t;
          // A 2xx without a readable User (no id): the account may exist; look before anything else.
          lastError = t.error;
        } else if (r.ok) {
          const error = errorFromResponse(r.value.status, r.value.body, retryAfterSeconds(r.value.headers, deps.now()));
          if (error.code === 'scim.uniqueness') {
            // Our own earlier attempt, when this call already sent one; by externalId otherwise.
            const existing = await adopt(input, attempt > 0 ? body['userName'] : null, since);
            if (existing.ok && existing.value) return ok(existing.value);
            return err(uniquenessFields(error, input));
          }
          if (error.class !== 'transient') return err(error);
          lastError = error;
        } else {
          if (r.error.class !== 'transient') return r;
          lastError = r.error;
        }
        // The create may have happened: look before trying again.
        const existing = await adopt(input, body['userName'], since);
        if (!existing.ok) return err(lastError);
        if (existing.value) return ok(existing.value);
        if (lastError.code === 'scim.unexpected_response') return err({ ...lastError, advice: 'The app confirmed the create without an id, and no account with this externalId exists; Roster retries later. Report it to the app vendor if it persists.' });
        await deps.sleep(500 * 2 ** attempt);
      }
      return err(lastError);
    },
    async update(id, patch) {
      const d = await ctx.discovery();
      if (!d.ok) return d;
      const attrs = patch.attributes ? await resolveManager(patch.attributes) : ok(undefined);
      if (!attrs.ok) return attrs;
      const ops = patchOperations({ ...patch, ...(attrs.value ? { attributes: attrs.value } : {}) });
      if (ops.length === 0) {
        const r = await readRaw(d.value, id);
        if (!r.ok) return r;
        return r.value ? toTarget(d.value, r.value.raw, r.value.reply) : err(notFound(id));
      }
      return write(d.value, id, ops);
    },
    async delete(id) {
      const d = await ctx.discovery();
      if (!d.ok) return d;
      // No If-Match: a deprovisioning stands whatever changed in the app meanwhile.
      const r = await http.send({ method: 'DELETE', path: userPath(d.value, id) });
      if (!r.ok) return r;
      if (r.value.status === 404) return err(notFound(id));
      if (r.value.status < 200 || r.value.status >= 300) return err(errorFromResponse(r.value.status, r.value.body, retryAfterSeconds(r.value.headers, deps.now())));
      ctx.versions.delete(id);
      return ok(undefined);
    },
  };
  const named = async (r: ConnectorResult<TargetUser[]>) => (r.ok ? ok(await managers.toExternalIds(r.value)) : r);
  const namedOne = async <T extends TargetUser | null>(r: ConnectorResult<T>): Promise<ConnectorResult<T>> => (r.ok && r.value ? ok((await managers.toExternalIds([r.value]))[0] as T) : r);
  const calls: SingleUserCalls = {
    ...plain,
    async *list(options) {
      for await (const page of plain.list(options)) yield await named(page);
    },
    get: async (id) => namedOne(await plain.get(id)),
    getMany: async (ids) => named(await plain.getMany(ids)),
    findBy: async (field, value) => named(await plain.findBy(field, value)),
    findByMany: async (field, values) => named(await plain.findByMany(field, values)),
    create: async (input) => namedOne(await plain.create(input)),
    update: async (id, patch) => namedOne(await plain.update(id, patch)),
  };
  return { calls, search, resolveManager, uniquenessFields };
}
