/** Reading a directory user with their sign-in facts (credentials, second factors). */
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/database.ts';
import { portalCredentials, portalPasskeys } from '../db/people-schema.ts';
import { users } from '../db/schema.ts';

export interface PortalAccount {
  userId: string;
  email: string;
  displayName: string;
  status: string;
  passwordHash: string | null;
  invitedAt: Date | null;
  passwordSetAt: Date | null;
  totpSecretEnc: string | null;
  totpConfirmed: boolean;
  totpLastStep: number | null;
  lastSignInAt: Date | null;
  passkeys: number;
}

const accountColumns = {
  userId: users.id,
  email: users.email,
  displayName: users.displayName,
  status: users.status,
  passwordHash: portalCredentials.passwordHash,
  invitedAt: portalCredentials.invitedAt,
  passwordSetAt: portalCredentials.passwordSetAt,
  totpSecretEnc: portalCredentials.totpSecretEnc,
  totpConfirmedAt: portalCredentials.totpConfirmedAt,
  totpLastStep: portalCredentials.totpLastStep,
  lastSignInAt: portalCredentials.lastSignInAt,
  passkeys: sql<number>`(select ${count()} from ${portalPasskeys} where ${portalPasskeys.userId} = ${users.id})`.mapWith(Number),
};

type Row = { [K in keyof typeof accountColumns]: unknown } & { totpConfirmedAt: Date | null };

const toAccount = ({ totpConfirmedAt, ...r }: Row): PortalAccount => ({ ...(r as Omit<PortalAccount, 'totpConfirmed'>), totpConfirmed: totpConfirmedAt !== null });

/** A live (not deleted) directory user by id, or null. */
export async function accountById(executor: Executor, userId: string): Promise<PortalAccount | null> {
  const [row] = await executor.select(accountColumns).from(users).leftJoin(portalCredentials, eq(portalCredentials.userId, users.id)).where(and(eq(users.id, userId), isNull(users.deletedAt))).limit(1);
  return row ? toAccount(row as Row) : null;
}

/** A live directory user by email (case-insensitive), or null. */
export async function accountByEmail(executor: Executor, email: string): Promise<PortalAccount | null> {
  const [row] = await executor
    .select(accountColumns)
    .from(users)
    .leftJoin(portalCredentials, eq(portalCredentials.userId, users.id))
    .where(and(eq(sql`lower(${users.email})`, email.trim().toLowerCase()), isNull(users.deletedAt)))
    .limit(1);
  return row ? toAccount(row as Row) : null;
}

/** Whether the account holds a second factor (a confirmed TOTP or a passkey). */
export const hasSecondFactor = (a: PortalAccount): boolean => a.totpConfirmed || a.passkeys > 0;

/** Writes credential columns, creating the row on first use. */
export async function writeCredentials(executor: Executor, userId: string, values: Partial<typeof portalCredentials.$inferInsert>): Promise<void> {
  const now = new Date();
  await executor
    .insert(portalCredentials)
    .values({ userId, ...values, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: portalCredentials.userId, set: { ...values, updatedAt: now } });
}
