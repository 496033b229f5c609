/**
 * `/Bulk` (RFC 7644 §3.7): creates and updates in requests of at most `maxOperations` operations
 * and `maxPayloadSize` bytes, each operation carrying a `bulkId` that maps its result back to the
 * input (results without a bulkId are matched by location, then by position). Every create without
 * a confirmed result (no result, a failed request, 5xx, a duplicate) is looked up by externalId:
 * a retried batch never duplicates a user. An app that advertises bulk but refuses `/Bulk`
 * (404, 405, 501) is switched to single calls for the rest of the connection.
 */
import { z } from 'zod';
import { err, ok } from '../../errors/result.ts';
import type { BulkItemResult, ConnectorError, ConnectorResult, TargetUserInput } from '../contract.ts';
import { usesPatch, type ScimContext } from './context.ts';
import type { ScimDiscovery } from './discovery.ts';
import { errorFromResponse, scimError } from './errors.ts';
import { retryAfterSeconds } from './http.ts';
import { patchBody, patchOperations, toScimResource } from './user-shape.ts';
import { userPath, type UserTools } from './users.ts';

export const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
/** Room left under maxPayloadSize for headers the app may count and for our estimate's error. */
const PAYLOAD_HEADROOM = 0.9;
/**
 * A `/Bulk` request's timeout grows with its operations (the connection's request timeout per 100,
 * at most 5 minutes): an app works through 1,000 operations far longer than one request, and a
 * timed-out bulk is costly — its creates are looked up and whatever did not happen goes singly.
 */
export const bulkTimeoutMs = (requestTimeoutMs: number, operations: number) => Math.min(300_000, Math.max(requestTimeoutMs, Math.ceil(requestTimeoutMs * (operations / 100))));

export interface BulkOperation {
  method: 'POST' | 'PATCH';
  path: string;
  bulkId: string;
  data: unknown;
}

const resultSchema = z.looseObject({
  method: z.string().optional(),
  bulkId: z.string().nullable().optional(),
  location: z.string().nullable().optional(),
  status: z.union([z.string(), z.number(), z.looseObject({ code: z.union([z.string(), z.number()]) })]),
  response: z.unknown().optional(),
});
const bulkResponseSchema = z.looseObject({ Operations: z.array(z.unknown()).default([]) });
export type OperationResult = z.infer<typeof resultSchema>;

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));
export const bulkBody = (ops: readonly BulkOperation[]) => ({ schemas: [BULK_REQUEST], Operations: ops });

/** Splits operations into requests within both limits; an operation too large alone is returned apart. */
export function chunkOperations(ops: readonly BulkOperation[], maxOperations: number, maxPayloadSize: number): { chunks: BulkOperation[][]; tooLarge: BulkOperation[] } {
  const budget = Math.floor(maxPayloadSize * PAYLOAD_HEADROOM);
  const envelope = bytes(bulkBody([]));
  const chunks: BulkOperation[][] = [];
  const tooLarge: BulkOperation[] = [];
  let current: BulkOperation[] = [];
  let size = envelope;
  for (const op of ops) {
    const opSize = bytes(op) + 1;
    if (envelope + opSize > budget) {
      tooLarge.push(op);
      continue;
    }
    if (current.length > 0 && (current.length >= maxOperations || size + opSize > budget)) {
      chunks.push(current);
      current = [];
      size = envelope;
    }
    current.push(op);
    size += opSize;
  }
  if (current.length > 0) chunks.push(current);
  return { chunks, tooLarge };
}

export const statusOf = (s: OperationResult['status']): number => Number(typeof s === 'object' ? s.code : s);
export const idFromLocation = (location: string | null | undefined): string | null => {
  if (!location) return null;
  const last = location.replace(/\/+$/, '').split('/').at(-1);
  return last ? decodeURIComponent(last) : null;
};

/** Each operation's result: by bulkId, then by location (updates), then by position when the counts agree. */
export function mapResults(ops: readonly BulkOperation[], results: readonly unknown[]): Map<string, OperationResult> {
  const parsed = results.flatMap((r) => {
    const p = resultSchema.safeParse(r);
    return p.success ? [p.data] : [];
  });
  const out = new Map<string, OperationResult>();
  const used = new Set<OperationResult>();
  // Sets and maps, not searches per operation: a 1,000-operation answer would cost a million comparisons.
  const sent = new Set(ops.map((o) => o.bulkId));
  for (const r of parsed) {
    if (r.bulkId && sent.has(r.bulkId) && !out.has(r.bulkId)) {
      out.set(r.bulkId, r);
      used.add(r);
    }
  }
  const byLocation = new Map<string, OperationResult[]>();
  for (const r of parsed) {
    if (used.has(r) || !r.location) continue;
    // Keyed by the location's last two segments (`Users/{id}`): an operation's path ends with them.
    const key = r.location.replace(/\/+$/, '').split('/').slice(-2).join('/');
    const list = byLocation.get(key);
    if (list) list.push(r);
    else byLocation.set(key, [r]);
  }
  for (const op of ops) {
    if (out.has(op.bulkId) || op.method === 'POST') continue;
    const key = op.path.replace(/\/+$/, '').split('/').slice(-2).join('/');
    const r = byLocation.get(key)?.find((x) => !used.has(x) && x.location!.replace(/\/+$/, '').endsWith(op.path));
    if (r) {
      out.set(op.bulkId, r);
      used.add(r);
    }
  }
  if (parsed.length === ops.length) {
    ops.forEach((op, i) => {
      const r = parsed[i];
      if (!out.has(op.bulkId) && r && !used.has(r) && !r.bulkId && (r.method === undefined || r.method.toUpperCase() === op.method)) out.set(op.bulkId, r);
    });
  }
  return out;
}

/**
 * Sends operations in chunks; answers per bulkId either a result or an error for the whole
 * chunk. `null` when the app refused /Bulk (the caller falls back to single calls).
 */
export async function sendBulk(ctx: ScimContext, d: ScimDiscovery, ops: BulkOperation[]): Promise<ConnectorResult<Map<string, OperationResult | ConnectorError> | null>> {
  const { http, deps } = ctx;
  const { maxOperations, maxPayloadSize } = d.features.bulk;
  const { chunks, tooLarge } = chunkOperations(ops, maxOperations, maxPayloadSize);
  const out = new Map<string, OperationResult | ConnectorError>();
  for (const op of tooLarge) out.set(op.bulkId, scimError('payload_too_large', 'object', `This account alone is larger than the app's bulk limit of ${maxPayloadSize} bytes`, 'Check the mapped values for very long text.'));
  const queue = [...chunks];
  const resent = new Set<BulkOperation[]>();
  while (queue.length > 0) {
    const chunk = queue.shift() ?? [];
    const r = await http.send({ method: 'POST', path: '/Bulk', body: bulkBody(chunk), timeoutMs: bulkTimeoutMs(ctx.config.requestTimeoutMs, chunk.length), heavy: true });
    if (!r.ok) {
      if (r.error.class === 'configuration') return r;
      if (r.error.code === 'scim.unreachable' && chunk.every((op) => op.method === 'PATCH') && !resent.has(chunk)) {
        // The connection was dropped before any answer (e.g. closed idle by the app as the request went
        // out: README "Lost /Bulk requests"). Only PATCHes: applying one twice changes nothing more.
        // Creates are never resent blindly: their caller looks them up first.
        resent.add(chunk);
        deps.log?.({ msg: 'scim /Bulk of updates lost with its connection; sent once more', operations: chunk.length });
        queue.unshift(chunk);
        continue;
      }
      for (const op of chunk) out.set(op.bulkId, r.error);
      continue;
    }
    const { status, body, headers } = r.value;
    if (status === 404 || status === 405 || status === 501) {
      ctx.bulkRefused = true;
      deps.log?.({ msg: 'scim app advertises bulk but refused /Bulk; single calls from now on', status });
      ctx.contradicted(`/Bulk answered ${status}`);
      return ok(null);
    }
    if ((status === 413 || (status === 400 && /too ?many|maxOperations|payload/i.test(JSON.stringify(body ?? '')))) && chunk.length > 1) {
      // The app's real limit is lower than advertised: halve and go on.
      ctx.contradicted(`/Bulk of ${chunk.length} operations answered ${status}`);
      const half = Math.ceil(chunk.length / 2);
      queue.unshift(chunk.slice(0, half), chunk.slice(half));
      continue;
    }
    if (status < 200 || status >= 300) {
      const error = errorFromResponse(status, body, retryAfterSeconds(headers, deps.now()));
      if (error.class === 'configuration') return err(error);
      for (const op of chunk) out.set(op.bulkId, error);
      continue;
    }
    const parsed = bulkResponseSchema.safeParse(body);
    const mapped = mapResults(chunk, parsed.success ? parsed.data.Operations : []);
    for (const op of chunk) {
      const res = mapped.get(op.bulkId);
      out.set(op.bulkId, res ?? scimError('bulk_result_missing', 'transient', `The app's bulk answer has no result for operation ${op.bulkId}`, 'Roster looks the account up and retries what did not happen.'));
    }
  }
  return ok(out);
}

/**
 * Creates that failed for a transient reason and that a look-up then proved absent, sent once more
 * in one `/Bulk` (by `resend`, with no third try): each result goes back to its item's place in
 * `out`. A `/Bulk` lost with its connection (README *Lost `/Bulk` requests*) otherwise leaves every
 * create of it to the engine, one request each.
 */
export async function resendAbsent<I, R extends { index: number }>(
  ctx: ScimContext,
  what: string,
  absent: readonly { index: number }[],
  inputs: readonly I[],
  out: R[],
  resend: (inputs: I[]) => Promise<ConnectorResult<R[]>>,
): Promise<void> {
  if (absent.length === 0) return;
  ctx.deps.log?.({ msg: `scim bulk ${what} unconfirmed and not found: sent once more in bulk`, count: absent.length });
  const second = await resend(absent.map((u) => inputs[u.index]!));
  if (!second.ok) return;
  absent.forEach((u, k) => {
    const res = second.value[k];
    if (res) out[u.index] = { ...res, index: u.index };
  });
}

export function createBulkCalls(ctx: ScimContext, tools: UserTools) {
  const usable = (d: ScimDiscovery) => d.features.bulk.supported && !ctx.bulkRefused;

  const singly = async <T>(items: T[], call: (item: T) => Promise<ConnectorResult<{ id: string }>>, status: 'created' | 'updated'): Promise<BulkItemResult[]> =>
    Promise.all(items.map(async (item, index): Promise<BulkItemResult> => {
      const r = await call(item);
      return r.ok ? { index, ok: true, id: r.value.id, status } : { index, ok: false, error: r.error };
    }));

  const itemError = (res: OperationResult): ConnectorError => errorFromResponse(statusOf(res.status), res.response ?? null);

  /**
   * `again`: creates that failed for a transient reason (no answer, a dropped connection, 5xx) and
   * that the look-up by externalId then proved absent are sent once more in one bulk request, rather
   * than left to the engine, which settles each with a single POST (1,000 requests for a lost bulk).
   */
  async function createMany(inputs: TargetUserInput[], again: boolean): Promise<ConnectorResult<BulkItemResult[]>> {
    const d = await ctx.discovery();
    if (!d.ok) return d;
    if (!usable(d.value)) return ok(await singly(inputs, (i) => tools.calls.create(i), 'created'));
    const ops: BulkOperation[] = [];
    for (const [i, input] of inputs.entries()) {
      const attrs = await tools.resolveManager(input.attributes);
      if (!attrs.ok) return attrs;
      ops.push({ method: 'POST', path: d.value.usersEndpoint, bulkId: `c${i}`, data: toScimResource({ ...input, attributes: attrs.value }) });
    }
    const ran = await sendBulk(ctx, d.value, ops);
    if (!ran.ok) return ran;
    if (ran.value === null) return ok(await singly(inputs, (i) => tools.calls.create(i), 'created'));
    const out: BulkItemResult[] = new Array(inputs.length);
    const unconfirmed: { index: number; error: ConnectorError }[] = [];
    for (const [index, input] of inputs.entries()) {
      const res = ran.value.get(`c${index}`);
      if (!res || !('status' in res)) {
        unconfirmed.push({ index, error: (res as ConnectorError | undefined) ?? scimError('bulk_result_missing', 'transient', 'No result', 'Roster retries.') });
        continue;
      }
      const status = statusOf(res.status);
      const id = idFromLocation(res.location) ?? (typeof (res.response as { id?: unknown } | undefined)?.id === 'string' ? ((res.response as { id: string }).id) : null);
      if (status >= 200 && status < 300 && id) out[index] = { index, ok: true, id, status: 'created' };
      else if (status >= 200 && status < 300) unconfirmed.push({ index, error: scimError('unexpected_response', 'transient', 'The app confirmed a bulk create without a location', 'Roster looks the account up by externalId.') });
      else {
        const error = itemError(res);
        if (error.class === 'object' && error.code !== 'scim.uniqueness') out[index] = { index, ok: false, error };
        else unconfirmed.push({ index, error: error.code === 'scim.uniqueness' ? tools.uniquenessFields(error, input) : error });
      }
    }
    if (unconfirmed.length > 0) {
      // A duplicate may be our own earlier create; an unanswered one may have happened.
      const found = await tools.search('externalId', unconfirmed.map((u) => inputs[u.index]?.externalId ?? ''));
      const byExternal = new Map((found.ok ? found.value : []).map((u) => [u.externalId?.toLowerCase(), u]));
      const absent: { index: number; error: ConnectorError }[] = [];
      for (const u of unconfirmed) {
        const user = byExternal.get(inputs[u.index]?.externalId.toLowerCase());
        out[u.index] = user ? { index: u.index, ok: true, id: user.id, status: 'created' } : { index: u.index, ok: false, error: u.error };
        if (!user && found.ok && u.error.class === 'transient') absent.push(u);
      }
      if (again) await resendAbsent(ctx, 'creates', absent, inputs, out, (rest) => createMany(rest, false));
    }
    return ok(out);
  }

  return {
    createMany: (inputs: TargetUserInput[]) => createMany(inputs, true),

    async updateMany(patches: { id: string; patch: Partial<TargetUserInput> }[]): Promise<ConnectorResult<BulkItemResult[]>> {
      const d = await ctx.discovery();
      if (!d.ok) return d;
      // Bulk PATCH needs PATCH; If-Match inside bulk is not portable, so ETag apps update singly.
      if (!usable(d.value) || !usesPatch(ctx, d.value) || d.value.features.etag) return ok(await singly(patches, (p) => tools.calls.update(p.id, p.patch), 'updated'));
      const out: BulkItemResult[] = new Array(patches.length);
      const ops: BulkOperation[] = [];
      for (const [i, p] of patches.entries()) {
        const attrs = p.patch.attributes ? await tools.resolveManager(p.patch.attributes) : ok(undefined);
        if (!attrs.ok) return attrs;
        const patchOps = patchOperations({ ...p.patch, ...(attrs.value ? { attributes: attrs.value } : {}) });
        if (patchOps.length === 0) out[i] = { index: i, ok: true, id: p.id, status: 'updated' };
        else ops.push({ method: 'PATCH', path: userPath(d.value, p.id), bulkId: `u${i}`, data: patchBody(patchOps) });
      }
      const ran = await sendBulk(ctx, d.value, ops);
      if (!ran.ok) return ran;
      if (ran.value === null) return ok(await singly(patches, (p) => tools.calls.update(p.id, p.patch), 'updated'));
      for (const [i, p] of patches.entries()) {
        if (out[i]) continue;
        const res = ran.value.get(`u${i}`);
        if (!res) out[i] = { index: i, ok: false, error: scimError('bulk_result_missing', 'transient', 'No result', 'Updates are idempotent; Roster retries.') };
        else if (!('status' in res)) out[i] = { index: i, ok: false, error: res };
        else {
          const status = statusOf(res.status);
          out[i] = status >= 200 && status < 300 ? { index: i, ok: true, id: p.id, status: 'updated' } : { index: i, ok: false, error: itemError(res) };
        }
      }
      return ok(out);
    },
  };
}
