/**
 * Applies one batch of confirmed items (≤ 1,000, the bulk assign limit): the target first (write-target.ts), then one
 * transaction that writes the directory users through the directory's one user writer (audit and
 * outbox rows alike, the outbox rows tagged with this application as their origin), assigns them with their role in the target (bulk assign), writes the links the
 * engine would have written — `last_written` and `last_hash` of the desired state it renders — and
 * one provisioning event per item, and marks the items applied or failed. A crash before the commit
 * leaves the items pending; the next run redoes the batch, and new users keep the id chosen at confirm.
 */
import { sql } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import type { Capabilities, Connection, ConnectorError, TargetUserInput } from '../../connectors/contract.ts';
import type { Db, Tx } from '../../db/database.ts';
import { users } from '../../db/schema.ts';
import { anyOf } from '../../db/any-of.ts';
import { bulkAssign } from '../../directory/apps/bulk-assign.ts';
import { effectiveAssignments } from '../../directory/apps/effective-assignments.ts';
import type { AttributeDefinition } from '../../directory/attributes/custom-values.ts';
import { type UserRow, toUserView } from '../../directory/users/user-fields.ts';
import { writeUsers } from '../../directory/users/user-writer.ts';
import { queryRows } from '../../directory/write-helpers.ts';
import type { ProvisioningSettings } from '../config/settings-schema.ts';
import { loadDesiredState } from '../desired/load-desired.ts';
import { type RenderContext, renderDesired } from '../desired/render-desired.ts';
import { type ProvisioningEventInput, recordEvents } from '../events/record-event.ts';
import { saveUserLinks } from '../links/user-links.ts';
import type { DesiredUser, PropertyChange } from '../diff/plan-types.ts';
import type { ImportMapping } from './import-mapping.ts';
import { type ConfirmedItem, type ItemPlan, type PlanContext, planItem } from './plan-item.ts';
import { type TargetWriteResult, writeTarget } from './write-target.ts';
import { type ErrorLog, storedError } from '../../errors/stored-error.ts';

export interface ApplyContext {
  db: Db;
  applicationId: string;
  sessionId: string;
  connection: Connection;
  capabilities: Capabilities;
  settings: ProvisioningSettings;
  mapping: ImportMapping;
  defs: ReadonlyMap<string, AttributeDefinition>;
  render: RenderContext;
  /** Role key → label, from the account's roles. */
  roleLabels: ReadonlyMap<string, string>;
  actor: Principal;
  sleep(ms: number): Promise<void>;
  /** The server log: where a refused item's database error goes (the item stores a code and a correlation id). */
  log?: ErrorLog | undefined;
}

export interface BatchResult {
  applied: number;
  failed: number;
  /** A configuration error: nothing of this batch was applied, the session fails until confirmed again. */
  stopped: ConnectorError | null;
  /** The session left `applying` (cancelled) before the batch committed. */
  cancelled: boolean;
  /** Milliseconds spent writing the target, and in the directory transaction (benchmarks report them apart). */
  targetMs: number;
  directoryMs: number;
}

interface Failure {
  code: string;
  message: string;
  advice: string;
}

const ADVICE = 'Fix the user in the target or in the directory, then start a new session.';

/** A batch whose target half is done (or stopped): what its directory transaction needs. */
export interface SentBatch {
  items: readonly ConfirmedItem[];
  matchedIds: string[];
  planCtx: PlanContext;
  now: Date;
  written: TargetWriteResult;
  /** The plans the target writes came from, by target id; a new user's is final (nothing in the directory to re-read). */
  firstPlans: Map<string, ItemPlan>;
  targetMs: number;
}

export async function applyBatch(ctx: ApplyContext, items: readonly ConfirmedItem[]): Promise<BatchResult> {
  return commitBatch(ctx, await sendBatch(ctx, items));
}

/**
 * The target half of a batch: plans from the users as read now, and the writes the target needs.
 * Touches no directory row, so the apply runs the next batch's half while this one's transaction
 * runs (apply-session.ts); target writes are idempotent, so a batch sent but never committed is
 * simply sent again by the run that finds it still pending.
 */
export async function sendBatch(ctx: ApplyContext, items: readonly ConfirmedItem[]): Promise<SentBatch> {
  const matchedIds = items.flatMap((i) => (i.category !== 'new' && i.directoryUserId ? [i.directoryUserId] : []));
  const roles = new Map((await effectiveAssignments(ctx.db, ctx.applicationId, { userIds: matchedIds })).map((a) => [a.userId, a.role]));
  const planCtx: PlanContext = { mapping: ctx.mapping, defs: ctx.defs, render: ctx.render, effectiveRole: (id) => roles.get(id) };
  const now = new Date();
  const before = await readUsers(ctx.db, matchedIds, false);
  const firstPlans = items.flatMap((i) => {
    const r = planItem(i, i.directoryUserId ? before.get(i.directoryUserId) ?? null : null, planCtx, now);
    return r.ok ? [r.plan] : [];
  });
  const targetStarted = performance.now();
  const written = await writeTarget(ctx.connection, ctx.capabilities, firstPlans, ctx.sleep);
  const targetMs = performance.now() - targetStarted;
  return { items, matchedIds, planCtx, now, written, firstPlans: new Map(firstPlans.map((p) => [p.item.targetId, p])), targetMs };
}

/** The directory half of a sent batch: one transaction; a batch the target stopped (configuration error) writes nothing. */
export async function commitBatch(ctx: ApplyContext, sent: SentBatch): Promise<BatchResult> {
  const { items, matchedIds, planCtx, now, written, firstPlans, targetMs } = sent;
  if (written.stopped) return { applied: 0, failed: 0, stopped: written.stopped, cancelled: false, targetMs, directoryMs: 0 };
  const directoryStarted = performance.now();
  const result = await ctx.db.transaction(async (tx) => {
    const [session] = await queryRows<{ status: string }>(tx, sql`select status from import_sessions where id = ${ctx.sessionId} for update`);
    if (session?.status !== 'applying') return { applied: 0, failed: 0, cancelled: true };
    const current = await readUsers(tx, matchedIds, true);
    const failures = new Map<string, Failure>();
    for (const [targetId, e] of written.failed) failures.set(targetId, { code: e.code, message: `The target refused the change: ${e.message}`, advice: e.advice });
    const plans: ItemPlan[] = [];
    for (const item of items) {
      if (failures.has(item.targetId)) continue;
      const first = firstPlans.get(item.targetId);
      if (item.category === 'new' && first) {
        plans.push(first);
        continue;
      }
      const r = planItem(item, item.directoryUserId ? current.get(item.directoryUserId) ?? null : null, planCtx, now);
      if (r.ok) plans.push({ ...r.plan, patch: first?.patch ?? {} });
      else failures.set(item.targetId, { code: r.code, message: r.message, advice: ADVICE });
    }
    const kept = await refuseTakenEmails(tx, plans, failures);

    // The directory's one user writer; the outbox rows name this application as their origin, so
    // the relay does not plan it again for values it was just read from (the links below say so).
    const importedFrom = (p: ItemPlan) => ({ note: { importedFrom: p.item.targetId } });
    await writeUsers(
      tx,
      {
        creates: kept.filter((p) => !p.current).map((p) => ({ next: p.next, ...importedFrom(p) })),
        updates: kept.filter((p) => p.current && p.changes.length > 0).map((p) => ({ current: p.current!, next: p.next, ...importedFrom(p) })),
      },
      { actor: ctx.actor, origin: ctx.applicationId },
    );
    const toAssign = kept.filter((p) => p.link && p.assignRole !== null);
    for (let i = 0; i < toAssign.length; i += 1000) {
      const chunk = toAssign.slice(i, i + 1000);
      await bulkAssign(tx, ctx.actor, ctx.applicationId, chunk.map((p) => ({ principalType: 'user' as const, principalId: p.next.id, role: p.assignRole!, ...roleLabel(ctx, p.assignRole!) })), { origin: ctx.applicationId });
    }
    const linkable = kept.filter((p) => p.link);
    const desired = await desiredOf(tx, ctx, linkable);
    const targetOf = new Map(linkable.map((p) => [p.next.id, p.item.targetId]));
    await saveUserLinks(
      tx,
      ctx.applicationId,
      desired.map((d) => ({
        directoryId: d.directoryId,
        targetId: targetOf.get(d.directoryId)!,
        lastHash: d.hash,
        lastWritten: { externalId: d.externalId, roleKey: d.roleKey, suspended: d.suspended, attributes: d.attributes },
        state: d.suspended ? 'suspended' : 'provisioned',
      })),
    );
    await recordEvents(tx, [...kept.map((p) => successEvent(ctx.applicationId, p)), ...items.flatMap((i) => (failures.has(i.targetId) ? [failedEvent(ctx.applicationId, i, failures.get(i.targetId)!)] : []))]);
    await markItems(tx, ctx.sessionId, kept, items, failures);
    return { applied: kept.length, failed: failures.size, cancelled: false };
  });
  return { ...result, stopped: null, targetMs, directoryMs: performance.now() - directoryStarted };
}

/**
 * What the engine renders for the linked users now: a new user's only assignment is the one just
 * made (no group holds them yet), so their desired state is rendered here; users who were already
 * in the directory may be covered by groups, so theirs comes from the engine's own loader.
 */
async function desiredOf(tx: Tx, ctx: ApplyContext, linkable: readonly ItemPlan[]): Promise<DesiredUser[]> {
  const out: DesiredUser[] = [];
  for (const p of linkable) {
    if (p.current || p.assignRole === null) continue;
    if (p.desired) {
      out.push(p.desired);
      continue;
    }
    const r = renderDesired(p.next, p.assignRole, ctx.render);
    if ('desired' in r) out.push(r.desired);
  }
  const existing = linkable.filter((p) => p.current || p.assignRole === null).map((p) => p.next.id);
  if (existing.length > 0) out.push(...(await loadDesiredState(tx, ctx.applicationId, ctx.settings, ctx.render, { userIds: existing })).desired);
  return out;
}

const roleLabel = (ctx: ApplyContext, key: string): { roleLabel?: string } => {
  const label = ctx.roleLabels.get(key);
  return label ? { roleLabel: label } : {};
};

async function readUsers(executor: Db | Tx, ids: readonly string[], lock: boolean): Promise<Map<string, UserRow>> {
  if (ids.length === 0) return new Map();
  const query = executor.select().from(users).where(sql`${anyOf(sql`${users.id}`, ids)} and ${users.deletedAt} is null`);
  const rows = lock ? await query.for('update') : await query;
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * A user whose new email someone took since the read fails alone, instead of failing the batch on
 * the unique index: new users, and users in both whose email changes.
 */
async function refuseTakenEmails(tx: Tx, plans: ItemPlan[], failures: Map<string, Failure>): Promise<ItemPlan[]> {
  const changing = plans.filter((p) => !p.current || p.current.email.toLowerCase() !== p.next.email.toLowerCase());
  if (changing.length === 0) return plans;
  const taken = await queryRows<{ email: string; id: string }>(
    tx,
    sql`select lower(email) as email, id from users where deleted_at is null and ${anyOf(sql`lower(${users.email})`, changing.map((p) => p.next.email.toLowerCase()), 'text')}`,
  );
  const holder = new Map(taken.map((r) => [r.email, r.id]));
  const claimed = new Set<string>();
  const refused = new Set<ItemPlan>();
  for (const p of changing) {
    const email = p.next.email.toLowerCase();
    const by = holder.get(email);
    if ((by !== undefined && by !== p.next.id) || claimed.has(email)) {
      refused.add(p);
      failures.set(p.item.targetId, { code: 'email_taken', message: `Another directory user has had the email ${p.next.email} since the session was read.`, advice: ADVICE });
    } else {
      claimed.add(email);
    }
  }
  return plans.filter((p) => !refused.has(p));
}

const viewFields = (u: UserRow): Record<string, unknown> => {
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, custom, ...rest } = toUserView(u);
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null));
  for (const [k, v] of Object.entries(custom)) out[`custom.${k}`] = v;
  return out;
};

function targetChanges(p: ItemPlan): PropertyChange[] {
  const t = p.item.target;
  const patch: Partial<TargetUserInput> = p.patch;
  const out: PropertyChange[] = [];
  if (patch.externalId !== undefined) out.push({ property: 'external_id', old: t.externalId, new: patch.externalId });
  if (patch.roleKey !== undefined) out.push({ property: 'role', old: t.roleKey, new: patch.roleKey });
  for (const [k, v] of Object.entries(patch.attributes ?? {})) out.push({ property: k, old: k === 'name' ? t.name : k === 'email' ? t.email : t.attributes[k] ?? null, new: v });
  if (patch.suspended !== undefined) out.push({ property: 'suspended', old: t.suspended, new: patch.suspended });
  return out;
}

function successEvent(applicationId: string, p: ItemPlan): ProvisioningEventInput {
  const directory = p.current ? p.changes.map((c) => ({ property: `directory.${c.field}`, old: c.directory, new: c.target })) : Object.entries(viewFields(p.next)).map(([k, v]) => ({ property: `directory.${k}`, old: null, new: v }));
  const what = !p.current ? 'created in the directory' : p.changes.length ? `directory ${p.changes.map((c) => c.field).join(', ')} updated` : 'directory unchanged';
  const steps = [
    { name: 'match' as const, outcome: p.item.category, detail: p.current ? `directory user ${p.current.email}` : 'not in the directory' },
    { name: 'action' as const, outcome: 'import', detail: `${what}${p.item.sourceProfile ? ` (source profile: ${p.item.sourceProfile})` : ''}${p.assignRole ? `; assigned as ${p.assignRole}` : ''}${p.link ? '; linked' : '; account deleted in the target, not linked'}` },
  ];
  return { applicationId, cycleId: null, directoryId: p.next.id, targetId: p.item.targetId, identity: p.item.identity, action: 'import', status: 'success', steps, changes: [...directory, ...targetChanges(p)] };
}

const failedEvent = (applicationId: string, i: ConfirmedItem, f: Failure): ProvisioningEventInput => ({
  applicationId, cycleId: null, directoryId: i.category === 'new' ? null : i.directoryUserId, targetId: i.targetId, identity: i.identity, action: 'import', status: 'failed',
  steps: [{ name: 'match', outcome: i.category }, { name: 'action', outcome: 'failed', detail: f.message }], changes: [], error: f,
});

/** An item whose batch failed on the database even alone (e.g. a unique value someone else took): failed, with the error. */
export async function markItemFailed(db: Db, applicationId: string, sessionId: string, item: ConfirmedItem, error: unknown, log?: ErrorLog): Promise<void> {
  // The database's own words carry the statement and its parameters: stored is a code and a correlation id, the details go to the server log.
  const stored = storedError(error, log, { applicationId, sessionId, targetId: item.targetId }, 'this import item');
  const f: Failure = { code: 'directory_refused', message: `The directory refused the change (${stored.code}): ${stored.message}`, advice: `${ADVICE} ${stored.advice}` };
  await db.transaction(async (tx) => {
    await recordEvents(tx, [failedEvent(applicationId, item, f)]);
    await markItems(tx, sessionId, [], [item], new Map([[item.targetId, f]]));
  });
}

async function markItems(tx: Tx, sessionId: string, kept: readonly ItemPlan[], items: readonly ConfirmedItem[], failures: ReadonlyMap<string, Failure>): Promise<void> {
  const records = [
    ...kept.map((p) => ({ target_id: p.item.targetId, status: 'applied', error: null })),
    ...items.flatMap((i) => {
      const f = failures.get(i.targetId);
      return f ? [{ target_id: i.targetId, status: 'failed', error: f }] : [];
    }),
  ];
  await tx.execute(sql`update import_items i set apply_status = x.status, apply_error = x.error, applied_at = case when x.status = 'applied' then now() else null end
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as x(target_id text, status text, error jsonb)
    where i.session_id = ${sessionId} and i.target_id = x.target_id`);
  const applied = kept.length;
  const failed = records.length - applied;
  // Counts kept as the batches go (a recount scans the whole session: too slow after every batch of a big one).
  await tx.execute(sql`update import_sessions set updated_at = now(),
    progress = jsonb_set(progress, '{done}', to_jsonb(coalesce((progress->>'done')::int, 0) + ${records.length}::int)),
    counts = counts || jsonb_build_object('pending', coalesce((counts->>'pending')::int, 0) - ${records.length}::int,
      'applied', coalesce((counts->>'applied')::int, 0) + ${applied}::int, 'failed', coalesce((counts->>'failed')::int, 0) + ${failed}::int)
    where id = ${sessionId}`);
}
