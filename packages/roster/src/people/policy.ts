/** The organisation's sign-in policy for directory users: a second factor required or optional. */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../admins/permissions.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db, Executor } from '../db/database.ts';
import { portalSettings } from '../db/people-schema.ts';
import { versionConflict } from '../errors/app-error.ts';

export const signInPolicySchema = z.object({ mfaRequired: z.boolean(), version: z.number().int() });
export type SignInPolicy = z.infer<typeof signInPolicySchema>;
export const signInPolicyUpdateSchema = z.strictObject({ mfaRequired: z.boolean(), version: z.number().int().min(0).optional() });

export async function readSignInPolicy(executor: Executor): Promise<SignInPolicy> {
  const [row] = await executor.select().from(portalSettings).where(eq(portalSettings.id, 1));
  return { mfaRequired: row?.mfaRequired ?? false, version: row?.version ?? 0 };
}

export async function updateSignInPolicy(db: Db, actor: Principal, input: z.infer<typeof signInPolicyUpdateSchema>, requestId?: string): Promise<SignInPolicy> {
  return db.transaction(async (tx) => {
    const [locked] = await tx.select().from(portalSettings).where(eq(portalSettings.id, 1)).for('update');
    const before = { mfaRequired: locked?.mfaRequired ?? false, version: locked?.version ?? 0 };
    if (input.version !== undefined && input.version !== before.version) throw versionConflict('sign-in policy', 'sign-in', before.version);
    if (before.mfaRequired === input.mfaRequired) return before;
    const version = before.version + 1;
    await tx
      .insert(portalSettings)
      .values({ id: 1, mfaRequired: input.mfaRequired, version, updatedAt: new Date() })
      .onConflictDoUpdate({ target: portalSettings.id, set: { mfaRequired: input.mfaRequired, version, updatedAt: new Date() } });
    const after = { mfaRequired: input.mfaRequired, version };
    await recordAudit(tx, actor, { action: 'settings.sign_in.update', targetType: 'settings', targetId: 'sign-in', before, after }, requestId);
    return after;
  });
}
