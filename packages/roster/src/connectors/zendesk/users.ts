/**
 * Single-user calls (https://developer.zendesk.com/api-reference/ticketing/users/users/). Creates
 * are idempotent (DESIGN §3.5): every create carries `external_id`, and a create whose outcome is
 * unknown (timeout, 5xx) or that Zendesk refuses because the external id is taken is followed by a
 * look-up by external id, adopting the user that is already there instead of making a second one.
 */
import { z } from 'zod';
import { err, ok } from '../../errors/result.ts';
import type { ConnectorDeps, ConnectorResult, TargetUser, UserClient } from '../contract.ts';
import { organizationSchema, type Catalog } from './catalog.ts';
import { errorFromResponse, zendeskError } from './errors.ts';
import type { ZendeskHttp } from './http.ts';
import { cursorPages } from './paging.ts';
import { retryAfterSeconds } from './rate-headers.ts';
import { toTargetUser, toZendeskBody, zendeskUserSchema, type ZendeskUser } from './user-shape.ts';

const sideloads = { organizations: z.array(organizationSchema).optional() };
const userReplySchema = z.looseObject({ user: zendeskUserSchema, ...sideloads });
const usersReplySchema = z.looseObject({ users: z.array(zendeskUserSchema), ...sideloads });
/** Organization names come as a sideload, so reading users costs no extra request. */
const INCLUDE = { include: 'organizations' };
const identitySchema = z.looseObject({ id: z.number(), type: z.string(), value: z.string(), primary: z.boolean().optional() });
const identitiesSchema = z.looseObject({ identities: z.array(identitySchema) });

const CREATE_ATTEMPTS = 3;
const isId = (id: string) => /^\d{1,20}$/.test(id);
const sameText = (a: string | null | undefined, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

export interface SingleUserCalls extends Omit<UserClient, 'createMany' | 'updateMany'> {
  findByExternalIds(externalIds: readonly string[]): Promise<ConnectorResult<TargetUser[]>>;
}

export function createSingleUserCalls(http: ZendeskHttp, catalog: Catalog, deps: ConnectorDeps): SingleUserCalls {
  const toTarget = (u: ZendeskUser) => toTargetUser(u, catalog.organizationName);

  /** Normalises users, first learning the names of organizations not seen yet (one request for all). */
  const named = async (users: ZendeskUser[], reply?: { organizations?: { id: number; name: string }[] | undefined }): Promise<ConnectorResult<TargetUser[]>> => {
    if (reply?.organizations) catalog.rememberOrganizations(reply.organizations);
    const unknown = users.filter((u) => u.organization_id && catalog.organizationName(u.organization_id) === null).map((u) => u.id);
    if (unknown.length > 0) {
      const r = await http.json({ method: 'GET', path: '/api/v2/users/show_many', query: { ids: unknown.slice(0, 100).join(','), ...INCLUDE } }, usersReplySchema);
      if (r.ok && r.value.organizations) catalog.rememberOrganizations(r.value.organizations);
    }
    return ok(users.map(toTarget));
  };
  const namedOne = async (user: ZendeskUser, reply?: { organizations?: { id: number; name: string }[] | undefined }, orgName?: unknown): Promise<ConnectorResult<TargetUser>> => {
    // A write by organization name tells the id Zendesk gave it.
    if (user.organization_id && typeof orgName === 'string' && orgName.trim() !== '') catalog.rememberOrganizations([{ id: user.organization_id, name: orgName.trim() }]);
    const r = await named([user], reply);
    return r.ok ? ok(r.value[0] ?? toTarget(user)) : r;
  };
  const notFound = (id: string) => zendeskError('not_found', 'object', `Zendesk user ${id} does not exist`, 'The user was removed in Zendesk; the next cycle re-creates or unlinks it.');

  const findBy = async (field: string, value: string): Promise<ConnectorResult<TargetUser[]>> => {
    let query: Record<string, string>;
    if (field === 'external_id') query = { external_id: value };
    else if (field === 'email') query = { query: `email:"${value.replaceAll('"', '')}"` };
    else return err(zendeskError('unsupported_match_field', 'configuration', `Zendesk users cannot be matched by ${field}`, 'Match by external_id or email.'));
    const r = await http.json({ method: 'GET', path: '/api/v2/users/search', query: { ...query, ...INCLUDE } }, usersReplySchema);
    if (!r.ok) return r;
    // Search is partial-text; only exact, case-insensitive matches count.
    const exact = r.value.users.filter((u) => (field === 'email' ? sameText(u.email, value) : sameText(u.external_id, value)));
    return named(exact, r.value);
  };

  const adopt = async (externalId: string): Promise<ConnectorResult<TargetUser | null>> => {
    const found = await findBy('external_id', externalId);
    if (!found.ok) return found;
    const user = found.value.find((u) => u.active);
    if (user) deps.log?.({ msg: 'zendesk create adopted an existing user by external_id', externalId, id: user.id });
    return ok(user ?? null);
  };

  const setPrimaryEmail = async (id: string, email: string): Promise<ConnectorResult<void>> => {
    const path = `/api/v2/users/${id}/identities`;
    let list = await http.json({ method: 'GET', path }, identitiesSchema);
    if (!list.ok) return list;
    let identity = list.value.identities.find((i) => i.type === 'email' && sameText(i.value, email));
    if (identity?.primary) return ok(undefined);
    if (!identity) {
      // Zendesk adds a secondary identity for `email` on update; it then becomes primary.
      const added = await http.json({ method: 'PUT', path: `/api/v2/users/${id}`, body: { user: { email } } }, userReplySchema);
      if (!added.ok) return added;
      list = await http.json({ method: 'GET', path }, identitiesSchema);
      if (!list.ok) return list;
      identity = list.value.identities.find((i) => i.type === 'email' && sameText(i.value, email));
      if (!identity) return err(zendeskError('email_not_added', 'object', `Zendesk did not add ${email} to user ${id}`, 'Check the address in Zendesk; Roster retries later.'));
    }
    const made = await http.json({ method: 'PUT', path: `${path}/${identity.id}/make_primary` }, identitiesSchema);
    return made.ok ? ok(undefined) : made;
  };

  /** Accounts by external id, one `show_many?external_ids=` request per 100 (live accounts only). */
  const findByExternalIds = async (externalIds: readonly string[]): Promise<ConnectorResult<TargetUser[]>> => {
    const out: TargetUser[] = [];
    for (let i = 0; i < externalIds.length; i += 100) {
      const chunk = externalIds.slice(i, i + 100);
      const r = await http.json({ method: 'GET', path: '/api/v2/users/show_many', query: { external_ids: chunk.join(','), ...INCLUDE } }, usersReplySchema);
      if (!r.ok) return r;
      const users = await named(r.value.users, r.value);
      if (!users.ok) return users;
      out.push(...users.value);
    }
    return ok(out);
  };

  return {
    findBy,
    async findByMany(field, values) {
      const wanted = [...new Map(values.filter((v) => v !== '').map((v) => [v.toLowerCase(), v])).values()];
      if (wanted.length === 0) return ok([]);
      const out = new Map<string, TargetUser>();
      // A comma would split a value in show_many's list: such values are searched one by one, like every email (Zendesk has no batch read by email).
      const batched = field === 'external_id' ? wanted.filter((v) => !v.includes(',')) : [];
      if (batched.length) {
        const r = await findByExternalIds(batched);
        if (!r.ok) return r;
        const asked = new Set(batched.map((v) => v.toLowerCase()));
        for (const u of r.value) if (u.externalId !== null && asked.has(u.externalId.toLowerCase())) out.set(u.id, u);
      }
      for (const value of wanted.filter((v) => !batched.includes(v))) {
        const r = await findBy(field, value);
        if (!r.ok) return r;
        for (const u of r.value) out.set(u.id, u);
      }
      return ok([...out.values()]);
    },
    async *list(options) {
      const onPage = (body: Record<string, unknown>) => {
        const orgs = z.array(organizationSchema).safeParse(body['organizations']);
        if (orgs.success) catalog.rememberOrganizations(orgs.data);
      };
      for await (const page of cursorPages(http, '/api/v2/users', 'users', zendeskUserSchema, { query: INCLUDE, onPage, ...(options?.pageSize ? { pageSize: options.pageSize } : {}) })) {
        yield page.ok ? await named(page.value) : page;
      }
    },
    async get(id) {
      if (!isId(id)) return ok(null);
      const r = await http.json({ method: 'GET', path: `/api/v2/users/${id}`, query: INCLUDE }, userReplySchema);
      if (!r.ok) return r.error.code === 'zendesk.not_found' ? ok(null) : r;
      return namedOne(r.value.user, r.value);
    },
    async getMany(ids) {
      const out: TargetUser[] = [];
      const valid = ids.filter(isId);
      for (let i = 0; i < valid.length; i += 100) {
        const r = await http.json({ method: 'GET', path: '/api/v2/users/show_many', query: { ids: valid.slice(i, i + 100).join(','), ...INCLUDE } }, usersReplySchema);
        if (!r.ok) return r;
        const users = await named(r.value.users, r.value);
        if (!users.ok) return users;
        out.push(...users.value);
      }
      return ok(out);
    },
    findByExternalIds,
    async create(input) {
      const body = { user: toZendeskBody(input, await catalog.adminRoleIds(), { create: true }) };
      let lastError = zendeskError('unavailable', 'transient', 'Zendesk did not confirm the create', 'Roster retries; the user is looked up by external id first.');
      for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt += 1) {
        const r = await http.send({ method: 'POST', path: '/api/v2/users', body });
        const ambiguous = !r.ok ? r.error.class === 'transient' : r.value.status >= 500;
        if (!r.ok && !ambiguous) return r;
        if (r.ok && (r.value.status === 201 || r.value.status === 200)) {
          const parsed = userReplySchema.safeParse(r.value.body);
          if (parsed.success) return namedOne(parsed.data.user, undefined, input.attributes['organization']);
        }
        if (r.ok && !ambiguous) {
          const error = errorFromResponse(r.value.status, r.value.body, retryAfterSeconds(r.value.headers, deps.now()));
          const externalIdTaken = error.fields !== undefined && Object.keys(error.fields).some((f) => f.startsWith('external_id'));
          if (!externalIdTaken) return err(error);
          const existing = await adopt(input.externalId);
          if (existing.ok && existing.value) return ok(existing.value);
          return err(error);
        }
        lastError = r.ok ? errorFromResponse(r.value.status, r.value.body, retryAfterSeconds(r.value.headers, deps.now())) : r.error;
        // The create may have happened: look before trying again.
        const existing = await adopt(input.externalId);
        if (!existing.ok) return err(lastError);
        if (existing.value) return ok(existing.value);
        await deps.sleep(500 * 2 ** attempt);
      }
      return err(lastError);
    },
    async update(id, patch) {
      if (!isId(id)) return err(notFound(id));
      const body = toZendeskBody(patch, await catalog.adminRoleIds(), { create: false });
      let user: ZendeskUser | null = null;
      if (Object.keys(body).length > 0) {
        const r = await http.json({ method: 'PUT', path: `/api/v2/users/${id}`, body: { user: body } }, userReplySchema);
        if (!r.ok) return r.error.code === 'zendesk.not_found' ? err(notFound(id)) : r;
        user = r.value.user;
      }
      const email = patch.attributes?.['email'];
      if (typeof email === 'string' && email !== '' && !sameText(user?.email, email)) {
        const r = await setPrimaryEmail(id, email);
        if (!r.ok) return r;
        user = null;
      }
      if (!user) {
        const r = await http.json({ method: 'GET', path: `/api/v2/users/${id}`, query: INCLUDE }, userReplySchema);
        if (!r.ok) return r.error.code === 'zendesk.not_found' ? err(notFound(id)) : r;
        return namedOne(r.value.user, r.value);
      }
      return namedOne(user, undefined, patch.attributes?.['organization']);
    },
    async delete(id) {
      if (!isId(id)) return err(notFound(id));
      const r = await http.json({ method: 'DELETE', path: `/api/v2/users/${id}` }, z.unknown());
      if (!r.ok) return r.error.code === 'zendesk.not_found' ? err(notFound(id)) : r;
      return ok(undefined);
    },
  };
}

