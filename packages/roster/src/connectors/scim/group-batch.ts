/**
 * The group client's batch calls (contract: `createMany`, `addMembers`, `removeMembers`, offered
 * with `capabilities.groupBatchMaxItems`). Groups are created inside `/Bulk` when the app
 * advertises it (RFC 7644 §3.7), one POST each otherwise. Memberships go as one PATCH per group
 * carrying many members — an `add` of `members` with a list of values, a `remove` per member by
 * filter (`members[value eq "…"]`) — never a replace of the member list; chunked to
 * `MEMBERS_PER_PATCH` values and, inside `/Bulk` (when advertised and there is more than one
 * group to change), to `maxOperations` and `maxPayloadSize`. Apps without PATCH get one GET + PUT
 * per group chunk. A PATCH is atomic (RFC 7644 §3.5.2): a chunk the app refuses as a whole for an
 * object reason (e.g. `noTarget` for one member already gone) is sent again one member at a time,
 * so every item gets its own outcome.
 */
import { err, ok } from '../../errors/result.ts';
import type { ConnectorError, ConnectorResult, GroupBatchResult, GroupClient, TargetGroup } from '../contract.ts';
import { resendAbsent, sendBulk, statusOf, idFromLocation, type BulkOperation, type OperationResult } from './bulk.ts';
import { usesPatch, type ScimContext } from './context.ts';
import { CORE_GROUP, type ScimDiscovery } from './discovery.ts';
import { errorFromResponse, scimError } from './errors.ts';
import { quote } from './filter.ts';
import { groupSchema, membersOf, membershipIdOf, parseMembershipId, type GroupTools } from './groups.ts';
import { collect, indexPages } from './paging.ts';
import { patchBody, type PatchOperation } from './user-shape.ts';

/** Member values in one PATCH (or one bulk operation): the request stays small (≈ 50 KB) for any app. */
export const MEMBERS_PER_PATCH = 1000;
/** Group names per displayName search (after an unconfirmed bulk create). */
const NAMES_PER_SEARCH = 50;
const PAYLOAD_HEADROOM = 0.9;
/** Bytes of one bulk PATCH operation without its member values (method, path, bulkId, PatchOp envelope). */
const OP_OVERHEAD_BYTES = 400;

interface Item {
  index: number;
  userId: string;
}
export interface MemberChunk {
  groupId: string;
  items: Item[];
}

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

/**
 * The items grouped by group (in first-seen order), each group split into chunks of at most
 * `maxCount` distinct members and `maxBytes` of member values (`valueBytes` per member).
 */
export function chunkMembers(items: readonly { index: number; groupId: string; userId: string }[], maxCount: number, maxBytes: number, valueBytes: (userId: string) => number): MemberChunk[] {
  const byGroup = new Map<string, Item[]>();
  for (const it of items) {
    const list = byGroup.get(it.groupId) ?? byGroup.set(it.groupId, []).get(it.groupId)!;
    list.push({ index: it.index, userId: it.userId });
  }
  const out: MemberChunk[] = [];
  for (const [groupId, list] of byGroup) {
    let current: Item[] = [];
    let users = new Set<string>();
    let size = 0;
    for (const it of list) {
      const fresh = !users.has(it.userId);
      const b = fresh ? valueBytes(it.userId) : 0;
      if (fresh && current.length > 0 && (users.size >= maxCount || size + b > maxBytes)) {
        out.push({ groupId, items: current });
        current = [];
        users = new Set();
        size = 0;
      }
      current.push(it);
      if (fresh) {
        users.add(it.userId);
        size += valueBytes(it.userId);
      }
    }
    if (current.length > 0) out.push({ groupId, items: current });
  }
  return out;
}

const distinct = (c: MemberChunk) => [...new Set(c.items.map((i) => i.userId))];
export const addOperations = (c: MemberChunk): PatchOperation[] => [{ op: 'add', path: 'members', value: distinct(c).map((value) => ({ value })) }];
export const removeOperations = (c: MemberChunk): PatchOperation[] => distinct(c).map((u) => ({ op: 'remove', path: `members[value eq ${quote(u)}]` }));

export function createGroupBatch(ctx: ScimContext, tools: GroupTools, single: Pick<GroupClient, 'create' | 'addMember' | 'removeMember'>): Required<Pick<GroupClient, 'createMany' | 'addMembers' | 'removeMembers'>> {
  const { http } = ctx;
  const bulkUsable = (d: ScimDiscovery) => d.features.bulk.supported && !ctx.bulkRefused;
  const groupGone = (id: string) => scimError('not_found', 'object', `The app has no group ${id}`, 'The group was removed in the app; the next cycle re-creates or unlinks it.');

  /** A bulk operation's result as the outcome of its chunk. */
  const outcomeOf = (groupId: string, res: OperationResult | ConnectorError | undefined): ConnectorResult<null> => {
    if (!res) return err(scimError('bulk_result_missing', 'transient', `The app's bulk answer has no result for the members of group ${groupId}`, 'Membership changes are idempotent; Roster sends them again.'));
    if (!('status' in res)) return err(res);
    const status = statusOf(res.status);
    if (status >= 200 && status < 300) return ok(null);
    if (status === 404) return err(groupGone(groupId));
    return err(errorFromResponse(status, res.response ?? null));
  };

  /**
   * Sends each chunk's operations: inside `/Bulk` when advertised and more than one chunk, else a
   * PATCH (or GET + PUT) per chunk. Answers each chunk's outcome, by position.
   */
  const sendChunks = async (chunks: MemberChunk[], ops: (c: MemberChunk) => PatchOperation[], apply: (c: MemberChunk) => (g: Record<string, unknown>) => Record<string, unknown>): Promise<ConnectorResult<ConnectorResult<null>[]>> => {
    const e = await tools.endpoint();
    if (!e.ok) return e;
    const { d, path } = e.value;
    if (chunks.length > 1 && bulkUsable(d) && usesPatch(ctx, d)) {
      const bulkOps: BulkOperation[] = chunks.map((c, k) => ({ method: 'PATCH', path: `${path}/${encodeURIComponent(c.groupId)}`, bulkId: `m${k}`, data: patchBody(ops(c)) }));
      const ran = await sendBulk(ctx, d, bulkOps);
      if (!ran.ok) return ran;
      if (ran.value !== null) {
        const results = ran.value;
        return ok(chunks.map((c, k) => outcomeOf(c.groupId, results.get(`m${k}`))));
      }
    }
    return ok(await Promise.all(chunks.map(async (c): Promise<ConnectorResult<null>> => {
      const r = await tools.change(c.groupId, ops(c), apply(c), { quiet: true, heavy: true });
      return r.ok ? ok(null) : r;
    })));
  };

  /** Chunks for the app: member values sized for `/Bulk`'s payload limit when it will carry them. */
  const chunksFor = async (items: readonly { index: number; groupId: string; userId: string }[], perValue: (userId: string) => number): Promise<ConnectorResult<MemberChunk[]>> => {
    const d = await ctx.discovery();
    if (!d.ok) return d;
    const { bulk } = d.value.features;
    const maxBytes = bulkUsable(d.value) ? Math.max(1, Math.floor(bulk.maxPayloadSize * PAYLOAD_HEADROOM) - OP_OVERHEAD_BYTES) : Number.POSITIVE_INFINITY;
    return ok(chunkMembers(items, MEMBERS_PER_PATCH, maxBytes, perValue));
  };

  /** A chunk refused as a whole for an object reason is retried member by member; anything else settles every item. */
  const settle = async <T>(chunks: MemberChunk[], outcomes: ConnectorResult<null>[], value: (c: MemberChunk, it: Item) => T, one: (groupId: string, userId: string) => Promise<ConnectorResult<T>>, size: number): Promise<GroupBatchResult<T>[]> => {
    const out: GroupBatchResult<T>[] = new Array(size);
    await Promise.all(
      chunks.map(async (c, k) => {
        const r = outcomes[k] ?? err(scimError('bulk_result_missing', 'transient', 'No result', 'Roster sends it again.'));
        if (!r.ok && r.error.class === 'object' && r.error.code !== 'scim.not_found' && distinct(c).length > 1) {
          const byUser = new Map<string, Promise<ConnectorResult<T>>>();
          for (const it of c.items) {
            const once = byUser.get(it.userId) ?? byUser.set(it.userId, one(c.groupId, it.userId)).get(it.userId)!;
            const s = await once;
            out[it.index] = s.ok ? { index: it.index, ok: true, value: s.value } : { index: it.index, ok: false, error: s.error };
          }
          return;
        }
        for (const it of c.items) out[it.index] = r.ok ? { index: it.index, ok: true, value: value(c, it) } : { index: it.index, ok: false, error: r.error };
      }),
    );
    return out;
  };

  /** Groups whose create was not confirmed (no result, 409, a 2xx without id): found by displayName, adopted when exactly one. */
  const findByNames = async (d: ScimDiscovery, path: string, names: string[]): Promise<{ value: Map<string, TargetGroup[]>; complete: boolean }> => {
    const found = new Map<string, TargetGroup[]>();
    let complete = true;
    if (!d.features.filter.supported) return { value: found, complete: false };
    for (let i = 0; i < names.length; i += NAMES_PER_SEARCH) {
      const part = [...new Set(names.slice(i, i + NAMES_PER_SEARCH))];
      // Paged like any search: an app answers at most maxResults per page (RFC 7644 §3.4.2.4).
      const r = await collect(indexPages(http, path, groupSchema, { count: d.features.filter.maxResults, query: { filter: part.map((n) => `displayName eq ${quote(n)}`).join(' or '), excludedAttributes: 'members' } }));
      if (!r.ok) {
        complete = false;
        continue;
      }
      for (const g of r.value) {
        if (!part.includes(g.displayName ?? '')) continue;
        const name = g.displayName ?? '';
        found.set(name, [...(found.get(name) ?? []), { id: g.id, name, description: null, isDefault: false }]);
      }
    }
    return { value: found, complete };
  };

  /**
   * `again`: creates that failed for a transient reason (no answer, a dropped connection, 5xx) and
   * that the look-up by displayName then proved absent are sent once more in one `/Bulk`, as user
   * creates are (bulk.ts): a `/Bulk` lost with its connection (README *Lost `/Bulk` requests*) left
   * every group of it failed until the next cycle, and every membership of those groups skipped.
   */
  const createMany = async (inputs: { name: string; description?: string | null }[], again: boolean): Promise<ConnectorResult<GroupBatchResult<TargetGroup>[]>> => {
    const e = await tools.endpoint();
    if (!e.ok) return e;
    const { d, path } = e.value;
    const singly = async () => Promise.all(inputs.map(async (input, index): Promise<GroupBatchResult<TargetGroup>> => {
      const r = await single.create(input);
      return r.ok ? { index, ok: true, value: r.value } : { index, ok: false, error: r.error };
    }));
    if (inputs.length < 2 || !bulkUsable(d)) return ok(await singly());
    const ops: BulkOperation[] = inputs.map((input, k) => ({ method: 'POST', path, bulkId: `g${k}`, data: { schemas: [CORE_GROUP], displayName: input.name, members: [] } }));
    const ran = await sendBulk(ctx, d, ops);
    if (!ran.ok) return ran;
    if (ran.value === null) return ok(await singly());
    const out: GroupBatchResult<TargetGroup>[] = new Array(inputs.length);
    const unconfirmed: { index: number; error: ConnectorError }[] = [];
    for (const [index, input] of inputs.entries()) {
      const res = ran.value.get(`g${index}`);
      if (!res || !('status' in res)) {
        unconfirmed.push({ index, error: res ?? scimError('bulk_result_missing', 'transient', 'No result', 'Roster looks the group up by name.') });
        continue;
      }
      const status = statusOf(res.status);
      const answered = groupSchema.safeParse(res.response);
      const id = idFromLocation(res.location) ?? (answered.success ? answered.data.id : null);
      if (status >= 200 && status < 300 && id) out[index] = { index, ok: true, value: { id, name: input.name, description: null, isDefault: false } };
      else if (status >= 200 && status < 300) unconfirmed.push({ index, error: scimError('unexpected_response', 'transient', `The app confirmed group "${input.name}" without a location`, 'Roster looks the group up by name.') });
      else {
        const error = errorFromResponse(status, res.response ?? null);
        if (error.class === 'object' && error.code !== 'scim.uniqueness') out[index] = { index, ok: false, error };
        else unconfirmed.push({ index, error });
      }
    }
    if (unconfirmed.length > 0) {
      // A create without a confirmed result may have happened; a duplicate name may be that create.
      const found = await findByNames(d, path, unconfirmed.map((u) => inputs[u.index]!.name));
      const absent: { index: number; error: ConnectorError }[] = [];
      for (const u of unconfirmed) {
        const hits = found.value.get(inputs[u.index]!.name) ?? [];
        out[u.index] = hits.length === 1 ? { index: u.index, ok: true, value: hits[0]! } : { index: u.index, ok: false, error: u.error };
        // Proved absent only by a look-up that answered (every search of it), never by a failed one.
        if (hits.length === 0 && found.complete && u.error.class === 'transient') absent.push(u);
      }
      if (again) await resendAbsent(ctx, 'group creates', absent, inputs, out, (rest) => createMany(rest, false));
    }
    return ok(out);
  };

  return {
    createMany: (inputs) => createMany(inputs, true),

    async addMembers(items) {
      const indexed = items.map((it, index) => ({ index, groupId: it.groupId, userId: it.userId }));
      const chunks = await chunksFor(indexed, (u) => bytes({ value: u }) + 1);
      if (!chunks.ok) return chunks;
      const apply = (c: MemberChunk) => (g: Record<string, unknown>) => {
        const have = new Set(membersOf(g).map((m) => String(m.value)));
        return { ...g, members: [...membersOf(g), ...distinct(c).filter((u) => !have.has(u)).map((value) => ({ value }))] };
      };
      const sent = await sendChunks(chunks.value, addOperations, apply);
      if (!sent.ok) return sent;
      return ok(await settle(chunks.value, sent.value, (c, it) => ({ membershipId: membershipIdOf(c.groupId, it.userId) }), (g, u) => single.addMember(g, u), items.length));
    },

    async removeMembers(membershipIds) {
      const out: GroupBatchResult<void>[] = new Array(membershipIds.length);
      const indexed: { index: number; groupId: string; userId: string }[] = [];
      for (const [index, id] of membershipIds.entries()) {
        const m = parseMembershipId(id);
        if (m) indexed.push({ index, ...m });
        else out[index] = { index, ok: false, error: scimError('not_found', 'object', `Membership ${id} does not exist`, 'Nothing to remove.') };
      }
      const chunks = await chunksFor(indexed, (u) => bytes({ op: 'remove', path: `members[value eq ${quote(u)}]` }) + 1);
      if (!chunks.ok) return chunks;
      const apply = (c: MemberChunk) => (g: Record<string, unknown>) => {
        const leaving = new Set(distinct(c));
        return { ...g, members: membersOf(g).filter((m) => !leaving.has(String(m.value))) };
      };
      const sent = await sendChunks(chunks.value, removeOperations, apply);
      if (!sent.ok) return sent;
      const settled = await settle(chunks.value, sent.value, () => undefined, (g, u) => single.removeMember(membershipIdOf(g, u)), membershipIds.length);
      for (const r of settled) {
        if (!r) continue;
        // One member's PATCH whose filter matched nothing: that membership is gone.
        out[r.index] = !r.ok && r.error.code === 'scim.no_target' ? { index: r.index, ok: false, error: scimError('not_found', 'object', r.error.message, 'Nothing to remove.') } : r;
      }
      return ok(out);
    },
  };
}
