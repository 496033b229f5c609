/**
 * The provisioning log writer: one provisioning event per object action, and the counts of the
 * cycle it belongs to, kept as the cycle goes (DESIGN §3; STYLE 12: operations carry counts).
 */
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { provisioningCycles, provisioningEvents } from '../../db/provisioning-schema.ts';
import type { PlanStep, PropertyChange } from '../diff/plan-types.ts';

/** `import`: a target account imported into the directory by an import session (no cycle). */
/** `sign_in`: a single sign-on through Roster (src/sso), or its refusal. */
export type EventAction = 'create' | 'update' | 'suspend' | 'unsuspend' | 'delete' | 'link' | 'skip' | 'import' | 'sign_in' | GroupEventAction;
/** Group and membership actions (provisioning/groups): `report` is drift logged but not repaired (settings `drift: report`). */
export type GroupEventAction = 'unlink' | 'add_member' | 'link_member' | 'remove_member' | 'report';
export type EventStatus = 'success' | 'failed' | 'skipped';
export type EventObjectType = 'user' | 'group' | 'membership';

export interface ProvisioningEventInput {
  applicationId: string;
  cycleId: string | null;
  /** Default `user`. */
  objectType?: EventObjectType | undefined;
  directoryId: string | null;
  targetId: string | null;
  identity: string | null;
  action: EventAction;
  status: EventStatus;
  steps: PlanStep[];
  changes: PropertyChange[];
  error?: { code: string; message: string; advice: string } | undefined;
  durationMs?: number | undefined;
}

/** Above this many events one JSON parameter beats a multi-row VALUES list of 14 parameters per event. */
const JSON_ROWS_THRESHOLD = 20;

export async function recordEvents(executor: Executor, events: readonly ProvisioningEventInput[]): Promise<void> {
  if (events.length === 0) return;
  if (events.length > JSON_ROWS_THRESHOLD) return recordManyEvents(executor, events);
  await executor.insert(provisioningEvents).values(
    events.map((e) => ({
      applicationId: e.applicationId,
      cycleId: e.cycleId,
      objectType: e.objectType ?? 'user',
      directoryId: e.directoryId,
      targetId: e.targetId,
      identity: e.identity,
      action: e.action,
      status: e.status,
      steps: e.steps,
      changes: e.changes,
      errorCode: e.error?.code ?? null,
      errorMessage: e.error?.message ?? null,
      advice: e.error?.advice ?? null,
      durationMs: e.durationMs ?? null,
    })),
  );
}

/** `recordEvents` for many events: one statement, the events as one JSON parameter, in the order given. */
async function recordManyEvents(executor: Executor, events: readonly ProvisioningEventInput[]): Promise<void> {
  const records = events.map((e, ord) => ({
    ord,
    application_id: e.applicationId,
    cycle_id: e.cycleId,
    object_type: e.objectType ?? 'user',
    directory_id: e.directoryId,
    target_id: e.targetId,
    identity: e.identity,
    action: e.action,
    status: e.status,
    steps: e.steps,
    changes: e.changes,
    error_code: e.error?.code ?? null,
    error_message: e.error?.message ?? null,
    advice: e.error?.advice ?? null,
    duration_ms: e.durationMs ?? null,
  }));
  await executor.execute(sql`insert into provisioning_events (application_id, cycle_id, object_type, directory_id, target_id, identity, action, status, steps, changes, error_code, error_message, advice, duration_ms)
    select application_id, cycle_id, object_type, directory_id, target_id, identity, action, status, steps, changes, error_code, error_message, advice, duration_ms
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as x(ord int, application_id uuid, cycle_id uuid, object_type text, directory_id uuid, target_id text, identity text,
      action text, status text, steps jsonb, changes jsonb, error_code text, error_message text, advice text, duration_ms int) order by ord`);
}

/** The counts a cycle records (users; skipped and failed count every object type). */
export const countNames = ['created', 'updated', 'unchanged', 'suspended', 'unsuspended', 'deleted', 'linked', 'skipped', 'failed'] as const;
/** Group and membership counts, kept apart so `created` stays "users created"; present once non-zero. */
export const groupCountNames = ['groupsCreated', 'groupsUpdated', 'groupsDeleted', 'groupsLinked', 'groupsUnlinked', 'membersAdded', 'membersLinked', 'membersRemoved', 'driftReported'] as const;
export type CountName = (typeof countNames)[number] | (typeof groupCountNames)[number];
export type CycleCounts = Record<CountName, number>;

export const emptyCounts = (): Record<(typeof countNames)[number], number> => Object.fromEntries(countNames.map((n) => [n, 0])) as Record<(typeof countNames)[number], number>;

const userCounts = { create: 'created', update: 'updated', suspend: 'suspended', unsuspend: 'unsuspended', delete: 'deleted', link: 'linked', skip: 'skipped', import: 'linked', unlink: 'deleted', add_member: 'updated', link_member: 'linked', remove_member: 'updated', report: 'skipped' } as const;
const groupCounts = { create: 'groupsCreated', update: 'groupsUpdated', delete: 'groupsDeleted', link: 'groupsLinked', unlink: 'groupsUnlinked', add_member: 'membersAdded', link_member: 'membersLinked', remove_member: 'membersRemoved' } as const;

/** Which count an event adds to. */
export function countOf(action: EventAction, status: EventStatus, objectType: EventObjectType = 'user'): CountName {
  if (action === 'report') return 'driftReported';
  if (status === 'failed') return 'failed';
  if (status === 'skipped' || action === 'skip') return 'skipped';
  if (objectType !== 'user' && action in groupCounts) return groupCounts[action as keyof typeof groupCounts];
  return userCounts[action as keyof typeof userCounts];
}

export function tally(events: readonly Pick<ProvisioningEventInput, 'action' | 'status' | 'objectType'>[]): Partial<CycleCounts> {
  const out: Partial<CycleCounts> = {};
  for (const e of events) {
    const name = countOf(e.action, e.status, e.objectType);
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}

/** Adds to the cycle's counts and progress in one statement (concurrent appliers never lose an increment). */
export async function addToCycle(executor: Executor, cycleId: string, add: Partial<CycleCounts>, done: number): Promise<void> {
  const entries = Object.entries(add).filter(([, n]) => n);
  if (entries.length === 0 && done === 0) return;
  let counts = sql`${provisioningCycles.counts}`;
  for (const [name, n] of entries) counts = sql`jsonb_set(${counts}, ${`{${name}}`}::text[], to_jsonb(coalesce((${provisioningCycles.counts}->>${name})::int, 0) + ${n}::int))`;
  await executor
    .update(provisioningCycles)
    .set({
      counts,
      progress: sql`jsonb_set(${provisioningCycles.progress}, '{done}', to_jsonb(coalesce((${provisioningCycles.progress}->>'done')::int, 0) + ${done}::int))`,
      heartbeatAt: sql`now()`,
    })
    .where(eq(provisioningCycles.id, cycleId));
}
