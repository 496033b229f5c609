/**
 * Reading the provisioning log of one application: filters shared by the paged list and the
 * streaming export (newest first), one event's detail, and the CSV/JSON export lines.
 */
import { type SQL, and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import { provisioningEvents } from '../../db/provisioning-schema.ts';
import { csvCell } from '../../audit/audit-export.ts';
import { storableText } from '../config/settings-schema.ts';

export const eventFilterSchema = z.object({
  /** A directory user id, or part of the identity (email or name, case-insensitive). */
  user: storableText(1, 320).trim().optional(),
  /** create | update | suspend | unsuspend | delete | link | skip | … */
  action: storableText(1, 50).trim().optional(),
  status: z.enum(['success', 'failed', 'skipped']).optional(),
  /** Inclusive lower bound, ISO 8601 with offset. */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Exclusive upper bound, ISO 8601 with offset. */
  to: z.iso.datetime({ offset: true }).optional(),
  cycleId: z.uuid().optional(),
});
export type EventFilter = z.infer<typeof eventFilterSchema>;

const stepSchema = z.object({ name: z.string(), outcome: z.string(), detail: z.string().optional() });
const changeSchema = z.object({ property: z.string(), old: z.unknown(), new: z.unknown() });

export const eventSchema = z.object({
  id: z.number().int(),
  at: z.iso.datetime(),
  applicationId: z.string(),
  cycleId: z.string().nullable(),
  objectType: z.string(),
  directoryId: z.string().nullable(),
  targetId: z.string().nullable(),
  identity: z.string().nullable(),
  action: z.string(),
  status: z.string(),
  steps: z.array(stepSchema),
  changes: z.array(changeSchema),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  advice: z.string().nullable(),
  durationMs: z.number().int().nullable(),
});
export type EventView = z.infer<typeof eventSchema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const likeContains = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function eventWhere(applicationId: string, f: EventFilter, beforeId?: number): SQL | undefined {
  const e = provisioningEvents;
  return and(
    eq(e.applicationId, applicationId),
    f.user === undefined ? undefined : UUID.test(f.user) ? eq(e.directoryId, f.user) : sql`${e.identity} ilike ${likeContains(f.user)} escape '\\'`,
    f.action === undefined ? undefined : eq(e.action, f.action),
    f.status === undefined ? undefined : eq(e.status, f.status),
    f.from === undefined ? undefined : gte(e.at, new Date(f.from)),
    f.to === undefined ? undefined : lt(e.at, new Date(f.to)),
    f.cycleId === undefined ? undefined : eq(e.cycleId, f.cycleId),
    beforeId === undefined ? undefined : lt(e.id, beforeId),
  );
}

const toView = (r: typeof provisioningEvents.$inferSelect): EventView => ({ ...r, at: r.at.toISOString() });

/** Up to `limit` events older than `beforeId` (ids grow with time), newest first. */
export async function listEvents(executor: Executor, applicationId: string, f: EventFilter, limit: number, beforeId?: number): Promise<EventView[]> {
  const rows = await executor.select().from(provisioningEvents).where(eventWhere(applicationId, f, beforeId)).orderBy(desc(provisioningEvents.id)).limit(limit);
  return rows.map(toView);
}

export async function getEvent(executor: Executor, applicationId: string, id: number): Promise<EventView | undefined> {
  const [row] = await executor.select().from(provisioningEvents).where(and(eq(provisioningEvents.applicationId, applicationId), eq(provisioningEvents.id, id)));
  return row ? toView(row) : undefined;
}

/** Every matching event, newest first, in batches so an export never holds the whole log. */
export async function* iterateEvents(executor: Executor, applicationId: string, f: EventFilter, batchSize = 500): AsyncGenerator<EventView> {
  let beforeId: number | undefined;
  for (;;) {
    const batch = await listEvents(executor, applicationId, f, batchSize, beforeId);
    yield* batch;
    if (batch.length < batchSize) return;
    beforeId = batch.at(-1)?.id;
  }
}

export const eventExportFormats = ['csv', 'json'] as const;
export type EventExportFormat = (typeof eventExportFormats)[number];

const csvColumns = ['id', 'at', 'cycleId', 'objectType', 'directoryId', 'targetId', 'identity', 'action', 'status', 'errorCode', 'errorMessage', 'advice', 'durationMs', 'steps', 'changes'] as const;

/** The export body chunk by chunk: CSV with a header row, or one JSON array. */
export async function* exportEventLines(events: AsyncIterable<EventView>, format: EventExportFormat): AsyncGenerator<string> {
  if (format === 'csv') {
    yield `${csvColumns.join(',')}\r\n`;
    for await (const e of events) yield `${csvColumns.map((c) => csvCell(e[c])).join(',')}\r\n`;
    return;
  }
  let first = true;
  yield '[';
  for await (const e of events) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(e)}`;
    first = false;
  }
  yield '\n]\n';
}
