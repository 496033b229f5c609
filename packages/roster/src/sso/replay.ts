/** Message ids already used (AuthnRequest ids): a second use within their lifetime is a replay. */
import { lt } from 'drizzle-orm';
import type { Executor } from '../db/database.ts';
import { ssoSeenIds } from '../db/sso-schema.ts';

const SWEEP_EVERY_MS = 60_000;
let lastSweep = 0;

/** True the first time `id` is seen for this application and kind; false on a replay. */
export async function firstUse(executor: Executor, applicationId: string, kind: string, id: string, expiresAt: Date, now = new Date()): Promise<boolean> {
  // Expired ids are swept at most once a minute per process: they can no longer be replayed anyway
  // (their message is too old), and a sweep on every sign-in would cost every sign-in a statement.
  if (now.getTime() - lastSweep >= SWEEP_EVERY_MS) {
    lastSweep = now.getTime();
    await executor.delete(ssoSeenIds).where(lt(ssoSeenIds.expiresAt, now));
  }
  const inserted = await executor.insert(ssoSeenIds).values({ key: `${applicationId}:${kind}:${id}`, expiresAt }).onConflictDoNothing().returning({ key: ssoSeenIds.key });
  return inserted.length === 1;
}

/** How long an AuthnRequest id is remembered: past this it is refused as too old anyway. */
export const replayWindowEnd = (issueInstant: Date): Date => new Date(issueInstant.getTime() + 10 * 60_000);
