/**
 * The signing certificates of an application and their rotation: `next` (published in metadata,
 * not used) → `active` (signs) → `retired`. Rotate makes a next certificate that becomes active when
 * the admin activates it, or by itself once its overlap period is over. Private keys are stored
 * encrypted and leave this module only as key objects for the signer.
 */
import { type KeyObject, createPrivateKey } from 'node:crypto';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { encryptSecret, decryptSecret } from '../../db/crypto.ts';
import type { Db, Executor } from '../../db/database.ts';
import { ssoCertificates } from '../../db/sso-schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { generateCertificate } from './generate-certificate.ts';

export const certificateStates = ['next', 'active', 'retired'] as const;
export type CertificateState = (typeof certificateStates)[number];

/** What the API shows of a certificate: never the private key. */
export interface CertificateView {
  id: string;
  state: CertificateState;
  algorithm: string;
  fingerprintSha256: string;
  certificatePem: string;
  notBefore: string;
  notAfter: string;
  activateAt: string | null;
  activatedAt: string | null;
  retiredAt: string | null;
  createdAt: string;
}

type Row = typeof ssoCertificates.$inferSelect;

export const toCertificateView = (r: Row): CertificateView => ({
  id: r.id,
  state: r.state as CertificateState,
  algorithm: r.algorithm,
  fingerprintSha256: r.fingerprintSha256,
  certificatePem: r.certificatePem,
  notBefore: r.notBefore.toISOString(),
  notAfter: r.notAfter.toISOString(),
  activateAt: r.activateAt?.toISOString() ?? null,
  activatedAt: r.activatedAt?.toISOString() ?? null,
  retiredAt: r.retiredAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});

/** Every certificate of the application, newest first. */
export async function listCertificates(executor: Executor, applicationId: string): Promise<Row[]> {
  return executor.select().from(ssoCertificates).where(eq(ssoCertificates.applicationId, applicationId)).orderBy(desc(ssoCertificates.createdAt));
}

/** The certificates metadata publishes: the active one, then the next one during the overlap. */
export async function publishedCertificates(db: Db, secretKey: Buffer, applicationId: string, subject: string, now = new Date()): Promise<Row[]> {
  await ensureActive(db, secretKey, applicationId, subject, now);
  const rows = await db.select().from(ssoCertificates).where(and(eq(ssoCertificates.applicationId, applicationId), inArray(ssoCertificates.state, ['active', 'next']))).orderBy(asc(ssoCertificates.state));
  return rows;
}

/** The active certificate, created on first use (an application gets its first key when SSO first needs one). */
export async function ensureActive(db: Db, secretKey: Buffer, applicationId: string, subject: string, now = new Date()): Promise<Row> {
  // One read for the common case: the active row, and a next one whose overlap period may be over.
  const current = await db.select().from(ssoCertificates).where(and(eq(ssoCertificates.applicationId, applicationId), inArray(ssoCertificates.state, ['active', 'next'])));
  const due = current.find((r) => r.state === 'next' && r.activateAt !== null && r.activateAt <= now);
  if (due) {
    try {
      return await activateNext(db, applicationId, now);
    } catch (e) {
      // Another request promoted it first: the active row is now the one it made.
      if (!(e instanceof AppError)) throw e;
      const row = await activeRow(db, applicationId);
      if (row) return row;
      throw e;
    }
  }
  const found = current.find((r) => r.state === 'active');
  if (found) return found;
  const g = await generateCertificate(subject, now);
  // Two first requests at once: the unique index keeps one active certificate, the other is dropped.
  await db
    .insert(ssoCertificates)
    .values({ applicationId, state: 'active', algorithm: g.algorithm, certificatePem: g.certificatePem, privateKey: encryptSecret(secretKey, g.privateKeyPem), fingerprintSha256: g.fingerprintSha256, notBefore: g.notBefore, notAfter: g.notAfter, activatedAt: now })
    .onConflictDoNothing();
  const row = await activeRow(db, applicationId);
  if (!row) throw new Error(`no active certificate for ${applicationId} after creating one`);
  return row;
}

async function activeRow(executor: Executor, applicationId: string): Promise<Row | undefined> {
  const [row] = await executor.select().from(ssoCertificates).where(and(eq(ssoCertificates.applicationId, applicationId), eq(ssoCertificates.state, 'active')));
  return row;
}

/** Creates the next certificate, published at once and active after `overlapDays` (or when activated). */
export async function rotateCertificate(db: Db, secretKey: Buffer, applicationId: string, subject: string, overlapDays: number, now = new Date()): Promise<Row> {
  await ensureActive(db, secretKey, applicationId, subject, now);
  const g = await generateCertificate(subject, now);
  const activateAt = new Date(now.getTime() + overlapDays * 86_400_000);
  const [row] = await db
    .insert(ssoCertificates)
    .values({ applicationId, state: 'next', algorithm: g.algorithm, certificatePem: g.certificatePem, privateKey: encryptSecret(secretKey, g.privateKeyPem), fingerprintSha256: g.fingerprintSha256, notBefore: g.notBefore, notAfter: g.notAfter, activateAt })
    .onConflictDoNothing()
    .returning();
  if (!row) {
    throw new AppError('conflict', 'This application already has a next certificate: activate it (or wait for its overlap period to end) before rotating again.', {
      issues: [{ path: 'params.id', reason: 'a next certificate exists' }],
    });
  }
  return row;
}

/** next → active, active → retired, in one transaction. 409 when there is no next certificate. */
export async function activateNext(db: Db, applicationId: string, now = new Date()): Promise<Row> {
  return db.transaction(async (tx) => {
    const [next] = await tx.select().from(ssoCertificates).where(and(eq(ssoCertificates.applicationId, applicationId), eq(ssoCertificates.state, 'next'))).for('update');
    if (!next) throw new AppError('conflict', 'There is no next certificate to activate: rotate first.', { issues: [{ path: 'params.id', reason: 'no next certificate' }] });
    await tx.update(ssoCertificates).set({ state: 'retired', retiredAt: now }).where(and(eq(ssoCertificates.applicationId, applicationId), eq(ssoCertificates.state, 'active')));
    const [active] = await tx.update(ssoCertificates).set({ state: 'active', activatedAt: now }).where(eq(ssoCertificates.id, next.id)).returning();
    return active!;
  });
}

export interface SigningKey {
  certificateId: string;
  certificatePem: string;
  privateKey: KeyObject;
}

// Decrypted keys by certificate id: a sign-in must not pay for decryption and PEM parsing each time.
const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_MAX = 1_000;

/** The key that signs now (the active certificate's). */
export async function signingKey(db: Db, secretKey: Buffer, applicationId: string, subject: string, now = new Date()): Promise<SigningKey> {
  const row = await ensureActive(db, secretKey, applicationId, subject, now);
  let key = keyCache.get(row.id);
  if (!key) {
    key = createPrivateKey(decryptSecret(secretKey, row.privateKey));
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.delete(keyCache.keys().next().value as string);
    keyCache.set(row.id, key);
  }
  return { certificateId: row.id, certificatePem: row.certificatePem, privateKey: key };
}
