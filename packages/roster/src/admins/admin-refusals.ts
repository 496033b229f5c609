/**
 * A refusal by the admin rank rules (acting on an owner, on an admin holding more, granting what one
 * lacks) is audited as `admin.refused`, outside the transaction the refusal rolls back.
 */
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { isAppError } from '../errors/app-error.ts';
import type { Principal } from './permissions.ts';

export async function auditingRefusals<T>(db: Db, actor: Principal, attempt: { action: string; targetId: string }, requestId: string | undefined, act: () => Promise<T>): Promise<T> {
  try {
    return await act();
  } catch (e) {
    if (isAppError(e) && (e.code === 'outranked' || e.code === 'forbidden')) {
      await recordAudit(db, actor, { action: 'admin.refused', targetType: 'admin', targetId: attempt.targetId, after: { attempted: attempt.action, code: e.code, ...e.details } }, requestId);
    }
    throw e;
  }
}
