/**
 * Signing in with email and password. Every failure gives the same answer (no account
 * enumeration) after the same amount of work, counts against login throttling and is audited.
 */
import { eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { admins } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { type AdminView, toAdminView } from './admin-view.ts';
import { clearThrottle, lockedForSeconds, recordFailure, throttleKeys } from './login-throttle.ts';
import type { Principal } from './permissions.ts';
import { hashPassword, verifyPassword } from './secrets.ts';
import { type NewSession, createSession } from './sessions.ts';

export interface SignInInput {
  email: string;
  password: string;
  /** The client address, for per-address throttling. */
  address: string;
  requestId?: string;
}

// Verified against when the email is unknown, so that answer takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;

const invalidCredentials = (): AppError =>
  new AppError('invalid_credentials', 'The email or the password is wrong.', { issues: [{ path: 'body', reason: 'email or password is wrong' }] });

/** The principal an attempt is audited as: nobody is signed in yet, so only the email typed is known. */
const attemptPrincipal = (email: string, adminId: string | null): Principal => ({ adminId, email, role: 'admin', permissions: new Set(), via: 'session' });

export async function signIn(db: Db, input: SignInInput): Promise<{ admin: AdminView; session: NewSession }> {
  const email = input.email.trim();
  const keys = throttleKeys(email, input.address);
  const lockedFor = await lockedForSeconds(db, [keys.pair, keys.address]);
  if (lockedFor > 0) {
    await recordAudit(db, attemptPrincipal(email, null), { action: 'session.failed', targetType: 'admin', after: { email, reason: 'locked' } }, input.requestId);
    const wait = lockedFor < 120 ? `${lockedFor} second(s)` : `${Math.ceil(lockedFor / 60)} minute(s)`;
    throw new AppError('too_many_attempts', `Too many failed sign-ins from this address; try again in ${wait}.`, { retryAfterSeconds: lockedFor });
  }

  const [row] = await db.select().from(admins).where(eq(sql`lower(${admins.email})`, email.toLowerCase())).limit(1);
  dummyHash ??= hashPassword('roster-dummy-password');
  const passwordOk = await verifyPassword(input.password, row ? row.passwordHash : await dummyHash);
  if (!row || !passwordOk || row.status !== 'active') {
    const reason = !row ? 'unknown_email' : !passwordOk ? 'wrong_password' : 'disabled';
    await db.transaction(async (tx) => {
      await recordFailure(tx, keys.pair);
      await recordFailure(tx, keys.address);
      await recordAudit(tx, attemptPrincipal(email, row?.id ?? null), { action: 'session.failed', targetType: 'admin', targetId: row?.id ?? null, after: { email, reason } }, input.requestId);
    });
    throw invalidCredentials();
  }

  return db.transaction(async (tx) => {
    await clearThrottle(tx, keys.pair);
    const session = await createSession(tx, row.id);
    const [updated] = await tx.update(admins).set({ lastLoginAt: new Date() }).where(eq(admins.id, row.id)).returning();
    const admin = toAdminView(updated ?? row);
    await recordAudit(tx, attemptPrincipal(row.email, row.id), { action: 'session.create', targetType: 'admin', targetId: row.id, after: { email: row.email } }, input.requestId);
    return { admin, session };
  });
}
