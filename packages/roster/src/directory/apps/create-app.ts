/** Adds an application from a gallery entry: settings checked by the entry, one live app per target. */
import type { Principal } from '../../admins/permissions.ts';
import type { Executor } from '../../db/database.ts';
import { applications } from '../../db/schema.ts';
import { recordAudit } from '../../audit/audit.ts';
import { recordChange } from '../outbox.ts';
import { type WriteOptions, advisoryLock, inTransaction } from '../write-helpers.ts';
import type { Application, CreateAppInput } from './app-schemas.ts';
import { assertTargetFree, entryOf, parseSettings, toApplication } from './app-view.ts';

export async function createApp(executor: Executor, principal: Principal, input: CreateAppInput, opts: WriteOptions = {}): Promise<Application> {
  const entry = entryOf(input.type);
  const settings = parseSettings(entry, input.settings);
  return inTransaction(executor, async (tx) => {
    // Serialise creators of the same target so two racing requests cannot both pass the check.
    await advisoryLock(tx, `roster:app:${entry.key}:${entry.identityKey(settings)}`);
    await assertTargetFree(tx, entry, settings);
    const [row] = await tx.insert(applications).values({ type: entry.key, displayName: input.displayName, settings }).returning();
    const app = toApplication(row!);
    await recordAudit(tx, principal, { action: 'app.create', targetType: 'application', targetId: app.id, after: { type: app.type, displayName: app.displayName, settings } }, opts.requestId);
    await recordChange(tx, { entityType: 'application', entityId: app.id, op: 'created', data: { type: app.type } });
    return app;
  });
}
