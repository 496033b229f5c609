/**
 * Groups and memberships (RFC 7643 §4.2, RFC 7644 §3.5.2); the batch calls are in group-batch.ts.
 * A membership is added and removed as a PATCH of that one member (`add` of `members`, `remove` with `members[value eq "…"]`), never a
 * replace of the member list — other members written by others stay. Apps without PATCH get the
 * group read and written back whole (PUT). SCIM has no membership ids: `membershipId` is
 * `<groupId>:<userId>`, each part URI-encoded. SCIM groups carry no description.
 */
import { z } from 'zod';
import { err, ok } from '../../errors/result.ts';
import type { ConnectorError, ConnectorResult, GroupClient, TargetGroup } from '../contract.ts';
import { sameName } from './canonical.ts';
import { refusedPatch, usesPatch, type ScimContext } from './context.ts';
import { CORE_GROUP, type ScimDiscovery } from './discovery.ts';
import { errorFromResponse, scimError } from './errors.ts';
import { quote } from './filter.ts';
import { retryAfterSeconds, type HttpReply, type HttpRequest } from './http.ts';
import { indexPages } from './paging.ts';
import { patchBody, type PatchOperation } from './user-shape.ts';

const memberSchema = z.looseObject({ value: z.union([z.string(), z.number()]).transform(String), type: z.string().nullable().optional() });
export const groupSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  displayName: z.string().nullable().optional(),
  members: z.array(memberSchema).nullable().optional(),
});
export type ScimGroup = z.infer<typeof groupSchema>;
const toGroup = (g: ScimGroup): TargetGroup => ({ id: g.id, name: g.displayName ?? '', description: null, isDefault: false });

export const membershipIdOf = (groupId: string, userId: string) => `${encodeURIComponent(groupId)}:${encodeURIComponent(userId)}`;
export function parseMembershipId(id: string): { groupId: string; userId: string } | null {
  const parts = id.split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  try {
    return { groupId: decodeURIComponent(parts[0]), userId: decodeURIComponent(parts[1]) };
  } catch {
    return null;
  }
}

export interface GroupTools {
  endpoint(): Promise<ConnectorResult<{ d: ScimDiscovery; path: string }>>;
  /**
   * PATCH when the app has it; otherwise the whole group, changed by `apply`, written back with PUT.
   * `quiet`: the answer's group is not wanted (member changes): its body, whatever it is (often the
   * whole group with every member), is not parsed. `excludedAttributes=members` is NOT asked for,
   * though RFC 7644 §3.5.2 lets a PATCH answer honour it: SCIMMY 1.3.5 then applies the operations
   * to the group read without its members and writes that back — every member is lost. No
   * ServiceProviderConfig field says an app handles it safely. `heavy`: a change of many members
   * (http.ts `HttpRequest.heavy`).
   */
  change(id: string, ops: PatchOperation[], apply: (g: Record<string, unknown>) => Record<string, unknown>, options?: { quiet?: boolean; heavy?: boolean }): Promise<ConnectorResult<ScimGroup | null>>;
  readGroup(path: string, id: string): Promise<ConnectorResult<ScimGroup>>;
  /** A request's 2xx reply, or the error for it (a 404 about group `id` is `not_found`). */
  answer(req: HttpRequest, id?: string): Promise<ConnectorResult<HttpReply>>;
  noGroups: ConnectorError;
}

export const membersOf = (g: Record<string, unknown>) => (Array.isArray(g['members']) ? (g['members'] as { value?: unknown }[]) : []);
/** A PATCH `remove` whose filter matched no member (RFC 7644 §3.12 `noTarget`): the membership is gone. */
export const isNoTarget = (e: ConnectorError) => e.code === 'scim.no_target';

export function createGroupTools(ctx: ScimContext): GroupTools {
  const { http, deps } = ctx;
  const noGroups = scimError('groups_unsupported', 'configuration', 'The app has no Group resource type', 'This app does not manage groups over SCIM: remove group assignments for it.');
  const groupNotFound = (id: string) => scimError('not_found', 'object', `The app has no group ${id}`, 'The group was removed in the app; the next cycle re-creates or unlinks it.');

  const endpoint = async (): Promise<ConnectorResult<{ d: ScimDiscovery; path: string }>> => {
    const d = await ctx.discovery();
    if (!d.ok) return d;
    return d.value.groupsEndpoint ? ok({ d: d.value, path: d.value.groupsEndpoint }) : err(noGroups);
  };
  /** A 2xx reply, or the error for it (404 names the group when the request was about one). */
  const checked = (reply: HttpReply, id?: string): ConnectorResult<HttpReply> => {
    const { status, body, headers } = reply;
    if (status === 404 && id !== undefined) return err(groupNotFound(id));
    if (status < 200 || status >= 300) return err(errorFromResponse(status, body, retryAfterSeconds(headers, deps.now())));
    return ok(reply);
  };
  const answer = async (req: HttpRequest, id?: string): Promise<ConnectorResult<HttpReply>> => {
    const r = await http.send(req);
    return r.ok ? checked(r.value, id) : r;
  };
  const readGroup = async (path: string, id: string): Promise<ConnectorResult<ScimGroup>> => {
    const r = await answer({ method: 'GET', path: `${path}/${encodeURIComponent(id)}` }, id);
    if (!r.ok) return r;
    const g = groupSchema.safeParse(r.value.body);
    return g.success ? ok(g.data) : err(scimError('unexpected_response', 'transient', `The app answered group ${id} without an id`, 'Roster retries; report it to the app vendor if it persists.'));
  };
  const change: GroupTools['change'] = async (id, ops, apply, options = {}) => {
    const e = await endpoint();
    if (!e.ok) return e;
    const at = `${e.value.path}/${encodeURIComponent(id)}`;
    if (usesPatch(ctx, e.value.d)) {
      const sent = await http.send({ method: 'PATCH', path: at, body: patchBody(ops), ...(options.heavy ? { heavy: true } : {}) });
      if (!sent.ok) return sent;
      if (!refusedPatch(ctx, sent.value.status)) {
        const r = checked(sent.value, id);
        if (!r.ok) return r;
        if (options.quiet) return ok(null);
        const g = groupSchema.safeParse(r.value.body);
        return g.success ? ok(g.data) : readGroup(e.value.path, id);
      }
    }
    const current = await answer({ method: 'GET', path: at }, id);
    if (!current.ok) return current;
    const { meta: _meta, ...group } = (current.value.body ?? {}) as Record<string, unknown>;
    const r = await answer({ method: 'PUT', path: at, body: apply(group), ...(options.heavy ? { heavy: true } : {}) }, id);
    if (!r.ok) return r;
    if (options.quiet) return ok(null);
    const g = groupSchema.safeParse(r.value.body);
    return g.success ? ok(g.data) : readGroup(e.value.path, id);
  };
  return { endpoint, answer, change, readGroup, noGroups };
}

/** The single calls; the batch calls (group-batch.ts) are added by the connection. */
export function createGroupClient(ctx: ScimContext, tools: GroupTools = createGroupTools(ctx)): GroupClient {
  const { http } = ctx;
  const { endpoint, answer, change, readGroup } = tools;

  const client: GroupClient = {
    async *list() {
      const e = await endpoint();
      if (!e.ok) {
        yield e;
        return;
      }
      for await (const page of indexPages(http, e.value.path, groupSchema, { count: e.value.d.features.filter.maxResults, query: { excludedAttributes: 'members' } })) {
        yield page.ok ? ok(page.value.map(toGroup)) : page;
      }
    },
    async create(input) {
      const e = await endpoint();
      if (!e.ok) return e;
      const r = await answer({ method: 'POST', path: e.value.path, body: { schemas: [CORE_GROUP], displayName: input.name, members: [] } });
      if (!r.ok) return r;
      const g = groupSchema.safeParse(r.value.body);
      return g.success ? ok(toGroup(g.data)) : err(scimError('unexpected_response', 'transient', `The app confirmed group "${input.name}" without an id`, 'Roster looks for the group by name in the next cycle; report it to the app vendor if it persists.'));
    },
    async update(id, input) {
      if (input.name === undefined) {
        const e = await endpoint();
        if (!e.ok) return e;
        const g = await readGroup(e.value.path, id);
        return g.ok ? ok(toGroup(g.value)) : g;
      }
      const name = input.name;
      const r = await change(id, [{ op: 'replace', path: 'displayName', value: name }], (g) => ({ ...g, displayName: name }));
      return r.ok ? ok(toGroup(r.value ?? { id, displayName: name })) : r;
    },
    async delete(id) {
      const e = await endpoint();
      if (!e.ok) return e;
      const r = await answer({ method: 'DELETE', path: `${e.value.path}/${encodeURIComponent(id)}` }, id);
      return r.ok ? ok(undefined) : r;
    },
    async *listMembers(groupId) {
      const e = await endpoint();
      if (!e.ok) {
        yield e;
        return;
      }
      const g = await readGroup(e.value.path, groupId);
      if (!g.ok) {
        yield g;
        return;
      }
      yield ok((g.value.members ?? []).filter((m) => !m.type || sameName(m.type, 'User')).map((m) => ({ membershipId: membershipIdOf(groupId, m.value), userId: m.value })));
    },
    async addMember(groupId, userId) {
      const r = await change(
        groupId,
        [{ op: 'add', path: 'members', value: [{ value: userId }] }],
        (g) => (membersOf(g).some((m) => String(m.value) === userId) ? g : { ...g, members: [...membersOf(g), { value: userId }] }),
        { quiet: true },
      );
      return r.ok ? ok({ membershipId: membershipIdOf(groupId, userId) }) : r;
    },
    async removeMember(membershipId) {
      const m = parseMembershipId(membershipId);
      if (!m) return err(scimError('not_found', 'object', `Membership ${membershipId} does not exist`, 'Nothing to remove.'));
      const r = await change(m.groupId, [{ op: 'remove', path: `members[value eq ${quote(m.userId)}]` }], (g) => ({ ...g, members: membersOf(g).filter((x) => String(x.value) !== m.userId) }), { quiet: true });
      if (!r.ok && isNoTarget(r.error)) return err(scimError('not_found', 'object', `User ${m.userId} is not a member of group ${m.groupId}`, 'Nothing to remove.'));
      return r.ok ? ok(undefined) : r;
    },
  };
  return client;
}
