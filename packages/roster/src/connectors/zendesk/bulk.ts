/**
 * `create_many` / `update_many` (https://developer.zendesk.com/api-reference/ticketing/users/users/#create-many-users):
 * up to 100 users per job, results mapped back to the input by index. Zendesk's results come in
 * request order, failures carry the input index as `id` (notes §5, UNVERIFIED), so mapping
 * prefers an explicit `index`, then position, and any create left unconfirmed (failed job, missing
 * result, "external id taken") is looked up by external id — a retry never duplicates a user.
 * When bulk import is off (403) the batch falls back to single calls and `capabilities` says so.
 */
import { err, ok } from '../../errors/result.ts';
import type { BulkItemResult, ConnectorError, ConnectorResult, TargetUserInput } from '../contract.ts';
import type { Catalog } from './catalog.ts';
import { zendeskError } from './errors.ts';
import type { JobResult, JobRunner } from './jobs.ts';
import { toZendeskBody } from './user-shape.ts';
import type { SingleUserCalls } from './users.ts';

export const BULK_MAX_ITEMS = 100;

export interface BulkState {
  /** null until known (from check() or the first bulk call). */
  enabled: boolean | null;
}

const failed = (r: JobResult): boolean => r.status === 'Failed' || r.success === false || r.error !== undefined;

function itemError(r: JobResult): ConnectorError {
  const details = typeof r.details === 'string' ? r.details : JSON.stringify(r.details ?? r.error ?? 'failed');
  if (/already (being used|been taken)/i.test(details)) {
    return zendeskError('duplicate_value', 'object', details, 'Another Zendesk user already has this value (often the email). Link or remove that user in Zendesk, or change the mapped value.');
  }
  return zendeskError('record_invalid', 'object', details, 'Fix the mapped values named in the message; Roster retries this user in later cycles.');
}

/** Result index per input: an explicit `index`, else the position (results come in request order), else a failure's `id` (an index). */
export function byIndex(results: JobResult[], count: number): Map<number, JobResult> {
  const out = new Map<number, JobResult>();
  const positional = results.length === count;
  results.forEach((r, position) => {
    let index: number | undefined;
    if (r.index !== undefined) index = r.index;
    else if (positional) index = position;
    else if (failed(r) && typeof r.id === 'number' && r.id < count) index = r.id;
    if (index !== undefined && index >= 0 && index < count) out.set(index, r);
  });
  return out;
}

export function createBulkCalls(single: SingleUserCalls, jobs: JobRunner, catalog: Catalog, state: BulkState) {
  const settle = async (inputs: TargetUserInput[], pending: number[], fallback: ConnectorError, out: BulkItemResult[]): Promise<ConnectorResult<void>> => {
    if (pending.length === 0) return ok(undefined);
    const found = await single.findByExternalIds(pending.map((i) => inputs[i]?.externalId ?? ''));
    if (!found.ok) {
      for (const i of pending) out[i] = { index: i, ok: false, error: fallback };
      return ok(undefined);
    }
    const byExternal = new Map(found.value.filter((u) => u.active).map((u) => [u.externalId?.toLowerCase(), u]));
    for (const i of pending) {
      const user = byExternal.get(inputs[i]?.externalId.toLowerCase());
      out[i] = user ? { index: i, ok: true, id: user.id, status: 'created' } : (out[i] ?? { index: i, ok: false, error: fallback });
    }
    return ok(undefined);
  };

  const singly = async <T>(items: T[], call: (item: T) => Promise<ConnectorResult<{ id: string }>>, status: 'created' | 'updated'): Promise<BulkItemResult[]> => {
    const out: BulkItemResult[] = [];
    for (const [index, item] of items.entries()) {
      const r = await call(item);
      out.push(r.ok ? { index, ok: true, id: r.value.id, status } : { index, ok: false, error: r.error });
    }
    return out;
  };

  const createChunk = async (inputs: TargetUserInput[]): Promise<ConnectorResult<BulkItemResult[]>> => {
    if (state.enabled === false) return ok(await singly(inputs, (i) => single.create(i), 'created'));
    const adminIds = await catalog.adminRoleIds();
    const users = inputs.map((i) => toZendeskBody(i, adminIds, { create: true }));
    const job = await jobs.run({ method: 'POST', path: '/api/v2/users/create_many', body: { users } });
    if (!job.ok && job.error.code === 'zendesk.forbidden') {
      state.enabled = false;
      return ok(await singly(inputs, (i) => single.create(i), 'created'));
    }
    const out: BulkItemResult[] = new Array(inputs.length);
    if (!job.ok) {
      // The job may have run: look before anyone retries.
      await settle(inputs, inputs.map((_, i) => i), job.error, out);
      return ok(out);
    }
    state.enabled = true;
    const results = Array.isArray(job.value.results) ? job.value.results : [];
    const mapped = byIndex(results, inputs.length);
    const pending: number[] = [];
    for (let i = 0; i < inputs.length; i += 1) {
      const r = mapped.get(i);
      if (r && !failed(r) && r.id !== null && r.id !== undefined) out[i] = { index: i, ok: true, id: String(r.id), status: 'created' };
      else if (r && failed(r)) {
        out[i] = { index: i, ok: false, error: itemError(r) };
        if (/external/i.test(String(r.details ?? ''))) pending.push(i);
      } else pending.push(i);
    }
    const missing = zendeskError('bulk_result_missing', 'transient', `Zendesk job ${job.value.id} ended ${job.value.status} without a result for this user`, 'Roster looks the user up and retries.');
    await settle(inputs, pending, missing, out);
    return ok(out);
  };

  const updateChunk = async (patches: { id: string; patch: Partial<TargetUserInput> }[]): Promise<ConnectorResult<BulkItemResult[]>> => {
    // A primary email change needs the identities API, one user at a time.
    const needsSingle = (p: { patch: Partial<TargetUserInput> }) => state.enabled === false || typeof p.patch.attributes?.['email'] === 'string';
    const out: BulkItemResult[] = new Array(patches.length);
    const bulkIdx: number[] = [];
    for (const [i, p] of patches.entries()) {
      if (!needsSingle(p)) {
        bulkIdx.push(i);
        continue;
      }
      const r = await single.update(p.id, p.patch);
      out[i] = r.ok ? { index: i, ok: true, id: r.value.id, status: 'updated' } : { index: i, ok: false, error: r.error };
    }
    if (bulkIdx.length === 0) return ok(out);
    const adminIds = await catalog.adminRoleIds();
    const users = bulkIdx.map((i) => ({ id: Number(patches[i]?.id), ...toZendeskBody(patches[i]?.patch ?? {}, adminIds, { create: false }) }));
    const job = await jobs.run({ method: 'PUT', path: '/api/v2/users/update_many', body: { users } });
    if (!job.ok && job.error.code === 'zendesk.forbidden') {
      state.enabled = false;
      for (const i of bulkIdx) {
        const p = patches[i];
        if (!p) continue;
        const r = await single.update(p.id, p.patch);
        out[i] = r.ok ? { index: i, ok: true, id: r.value.id, status: 'updated' } : { index: i, ok: false, error: r.error };
      }
      return ok(out);
    }
    if (!job.ok) return err(job.error);
    const results = Array.isArray(job.value.results) ? job.value.results : [];
    const mapped = byIndex(results, bulkIdx.length);
    bulkIdx.forEach((i, k) => {
      const id = patches[i]?.id ?? '';
      const r = mapped.get(k) ?? results.find((x) => !failed(x) && String(x.id) === id);
      if (r && !failed(r)) out[i] = { index: i, ok: true, id, status: 'updated' };
      else if (r) out[i] = { index: i, ok: false, error: itemError(r) };
      else out[i] = { index: i, ok: false, error: zendeskError('bulk_result_missing', 'transient', `Zendesk job ${job.value.id} ended ${job.value.status} without a result for user ${id}`, 'Updates are idempotent; Roster retries.') };
    });
    return ok(out);
  };

  /** Splits into jobs of 100 (run concurrently, within the in-flight cap) and renumbers the results. */
  const chunked = async <T>(items: T[], run: (chunk: T[]) => Promise<ConnectorResult<BulkItemResult[]>>): Promise<ConnectorResult<BulkItemResult[]>> => {
    const chunks: T[][] = [];
    for (let i = 0; i < items.length; i += BULK_MAX_ITEMS) chunks.push(items.slice(i, i + BULK_MAX_ITEMS));
    const results = await Promise.all(chunks.map(run));
    const out: BulkItemResult[] = [];
    for (const [c, r] of results.entries()) {
      if (!r.ok) return r;
      for (const item of r.value) out.push({ ...item, index: item.index + c * BULK_MAX_ITEMS });
    }
    return ok(out);
  };

  return {
    createMany: (inputs: TargetUserInput[]) => chunked(inputs, createChunk),
    updateMany: (patches: { id: string; patch: Partial<TargetUserInput> }[]) => chunked(patches, updateChunk),
  };
}
