/** Renames an application or changes its settings, refusing a stale version. */
import { eq, sql } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import type { Executor } from '../../db/database.ts';
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

export async function updateApp(
  executor: Executor,
  principal: Principal,
  id: string,
  changes: AppChanges,
  expectedVersion: number | undefined,
  opts: WriteOptions = {},
): Promise<Application> {
  return inTransaction(executor, async (tx) => {
    await tx.execute(sql`select 1 from ${applications} where ${applications.id} = ${id} for update`);
    const before = await findAppRow(tx, id);
    if (expectedVersion !== undefined && expectedVersion !== before.version) throw versionConflict('application', id, before.version);
    const entry = entryOf(before.type);
    const set: { displayName?: string; settings?: Record<string, unknown> } = {};
    if (changes.displayName !== undefined && changes.displayName !== before.displayName) set.displayName = changes.displayName;
    if (changes.settings !== undefined) {
      const settings = parseSettings(entry, changes.settings);
      if (JSON.stringify(settings) !== JSON.stringify(before.settings)) {
        await advisoryLock(tx, `roster:app:${entry.key}:${entry.identityKey(settings)}`);
        await assertTargetFree(tx, entry, settings, id);
        set.settings = settings;
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
    await recordAudit(tx, principal, { action: 'app.update', targetType: 'application', targetId: id, before: pick(before), after: pick(row!) }, opts.requestId);
    await recordChange(tx, { entityType: 'application', entityId: id, op: 'updated', data: { fields } });
    return toApplication(row!);
  });
}
