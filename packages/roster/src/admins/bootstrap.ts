/**
 * First start: create the Organization Owner, once, even when several processes start together
 * against one PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.ts';
import type { Db, Executor } from '../db/database.ts';
import { admins } from '../db/schema.ts';
import { AppError, invalidField } from '../errors/app-error.ts';
import { toAdminView } from './admin-view.ts';
import { MIN_PASSWORD_LENGTH } from './password-policy.ts';
import { systemPrincipal } from './permissions.ts';
import { hashPassword } from './secrets.ts';

export const DEFAULT_OWNER_EMAIL = 'owner@roster.local';

// Any constant works; it only has to differ from other advisory locks Roster takes.
const BOOTSTRAP_LOCK = 0x526f7374;

export interface EnsureOwnerOptions {
  /** ROSTER_ADMIN_EMAIL; default `owner@roster.local`. */
  email?: string | undefined;
  /** ROSTER_ADMIN_PASSWORD; when absent a one-time password is generated and returned. */
  password?: string | undefined;
}

export interface EnsureOwnerResult {
  /** False when an owner already existed (this start, or another process, made none). */
  created: boolean;
  /** The owner's email (the existing owner's when created is false). */
  email: string;
  /** Print it once; the owner must change it at first sign-in. */
  oneTimePassword?: string;
}

/** A random password an admin can type: 24 base64url characters (144 bits). */
export const generatePassword = (): string => randomBytes(18).toString('base64url');

/**
 * Creates the Organization Owner when there is none. Idempotent: later starts, and a second
 * process racing this one, get `created: false` (an advisory transaction lock serialises them).
 */
export async function ensureOwner(db: Db, opts: EnsureOwnerOptions = {}): Promise<EnsureOwnerResult> {
  const existing = await findOwnerEmail(db);
  if (existing) return { created: false, email: existing };

  const email = (opts.email ?? DEFAULT_OWNER_EMAIL).trim();
  if (opts.password !== undefined && opts.password.length < MIN_PASSWORD_LENGTH) {
    throw invalidField('ROSTER_ADMIN_PASSWORD', `must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const oneTimePassword = opts.password === undefined ? generatePassword() : undefined;
  // Hash before taking the lock: scrypt is deliberately slow.
  const passwordHash = await hashPassword(opts.password ?? (oneTimePassword as string));

  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(BOOTSTRAP_LOCK))})`);
    const raced = await findOwnerEmail(tx);
    if (raced) return { created: false, email: raced };
    const taken = await tx.select({ id: admins.id }).from(admins).where(eq(sql`lower(${admins.email})`, email.toLowerCase())).limit(1);
    if (taken[0]) {
      throw new AppError('conflict', `An admin with the email ${email} exists but is not an owner; choose another ROSTER_ADMIN_EMAIL or promote that admin.`, {
        issues: [{ path: 'ROSTER_ADMIN_EMAIL', reason: 'belongs to a non-owner admin' }],
      });
    }
    const [row] = await tx
      .insert(admins)
      .values({ email, name: 'Organization Owner', passwordHash, role: 'owner', permissions: [], mustChangePassword: oneTimePassword !== undefined })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await recordAudit(tx, systemPrincipal, { action: 'admin.bootstrap', targetType: 'admin', targetId: row.id, after: toAdminView(row) });
    return oneTimePassword === undefined ? { created: true, email } : { created: true, email, oneTimePassword };
  });
}

async function findOwnerEmail(executor: Executor): Promise<string | undefined> {
  const rows = await executor.select({ email: admins.email }).from(admins).where(eq(admins.role, 'owner')).orderBy(admins.createdAt).limit(1);
  return rows[0]?.email;
}
