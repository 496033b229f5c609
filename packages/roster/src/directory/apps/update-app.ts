/**
 * Renames an application or changes its settings, refusing a stale version. A change of the target
 * account (the entry's identity key, e.g. a subdomain) first goes through
 * `onTargetChange`, in the same transaction: the caller decides what the old account's state means
 * (provisioning refuses, or disconnects), and what it returns lands in the same audit entry.
 */
import { eq, sql } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import type { Executor, Tx } from '../../db/database.ts';
import { applications } from '../../db/schema.ts';
import { recordAudit } from '../../audit/audit.ts';
import { versionConflict } from '../../errors/app-error.ts';
import { recordChange } from '../outbox.ts';
import { type WriteOptions, advisoryLock, inTransaction } from '../write-helpers.ts';
import type { Application } from './app-schemas.ts';
import { assertTargetFree, entryOf, findAppRow, parseSettings, toApplication } from './app-view.ts';

export interface AppChanges {
  displayName?: string | undefined;
  settings?: Record<string, unknown> | undefined;
}

/** Runs when the change moves the application to another target; `field` is the setting that names it. */
export type OnTargetChange = (tx: Tx, field: string) => Promise<Record<string, unknown> | null>;

export async function updateApp(
  executor: Executor,
  principal: Principal,
  id: string,
  changes: AppChanges,
  expectedVersion: number | undefined,
  opts: WriteOptions & { onTargetChange?: OnTargetChange } = {},
): Promise<Application> {
  return inTransaction(executor, async (tx) => {
    await tx.execute(sql`select 1 from ${applications} where ${applications.id} = ${id} for update`);
    const before = await findAppRow(tx, id);
    if (expectedVersion !== undefined && expectedVersion !== before.version) throw versionConflict('application', id, before.version);
    const entry = entryOf(before.type);
    const set: { displayName?: string; settings?: Record<string, unknown> } = {};
    let targetReset: Record<string, unknown> | undefined;
    if (changes.displayName !== undefined && changes.displayName !== before.displayName) set.displayName = changes.displayName;
    if (changes.settings !== undefined) {
      const settings = parseSettings(entry, changes.settings);
      if (JSON.stringify(settings) !== JSON.stringify(before.settings)) {
        await advisoryLock(tx, `roster:app:${entry.key}:${entry.identityKey(settings)}`);
        await assertTargetFree(tx, entry, settings, id);
        set.settings = settings;
        if (opts.onTargetChange && entry.identityKey(settings) !== entry.identityKey(before.settings)) {
          const reset = await opts.onTargetChange(tx, entry.identityField);
          if (reset) targetReset = reset;
        }
      }
    }
    const fields = Object.keys(set);
    if (fields.length === 0) return toApplication(before);
    const [row] = await tx
      .update(applications)
      .set({ ...set, version: sql`${applications.version} + 1`, updatedAt: new Date() })
      .where(eq(applications.id, id))
      .returning();
    const pick = (r: typeof before) => Object.fromEntries(fields.map((f) => [f, r[f as keyof typeof r]]));
    await recordAudit(tx, principal, { action: 'app.update', targetType: 'application', targetId: id, before: pick(before), after: { ...pick(row!), ...(targetReset ? { disconnected: targetReset } : {}) } }, opts.requestId);
    await recordChange(tx, { entityType: 'application', entityId: id, op: 'updated', data: { fields } });
    return toApplication(row!);
  });
}
