/** Deleting an admin account: sessions and tokens go with it (foreign keys cascade). */
import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { admins } from '../db/schema.ts';
import { versionConflict } from '../errors/app-error.ts';
import { getAdminRow } from './admin-read.ts';
import { auditingRefusals } from './admin-refusals.ts';
import { assertKeepsAnOwner, assertKeepsOwnAdminRights, assertMayActOn } from './admin-rules.ts';
import { toAdminView } from './admin-view.ts';
import type { Principal } from './permissions.ts';

/** `expectedVersion` is optional here: a delete cannot overwrite anyone's change. */
export async function deleteAdmin(db: Db, actor: Principal, id: string, expectedVersion?: number, requestId?: string): Promise<void> {
  await auditingRefusals(db, actor, { action: 'admin.delete', targetId: id }, requestId, () =>
    db.transaction(async (tx) => {
      const current = await getAdminRow(tx, id, { forUpdate: true });
      if (expectedVersion !== undefined && current.version !== expectedVersion) throw versionConflict('admin', id, current.version);
      assertMayActOn(actor, current, 'delete');
      assertKeepsOwnAdminRights(actor, id, null);
      await assertKeepsAnOwner(tx, current, null);
      await tx.delete(admins).where(eq(admins.id, id));
      await recordAudit(tx, actor, { action: 'admin.delete', targetType: 'admin', targetId: id, before: toAdminView(current) }, requestId);
    }),
  );
}
