/**
 * Passkeys (WebAuthn, @simplewebauthn/server). The relying party is Roster's public URL: its host is
 * the RP id, its origin the expected origin (ROSTER_PUBLIC_URL; browsers refuse an IP address as RP
 * id, so use a host name such as localhost). Registration needs a signed-in user (or one enrolling
 * because the policy requires a second factor); signing in with a passkey is a full sign-in that
 * counts as multi-factor, since user verification is required. Each challenge is stored, lives 5
 * minutes and is used once.
 */
import { and, eq, gt, lt } from 'drizzle-orm';
import {
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { z } from 'zod';
import { lockedForSeconds, recordFailure } from '../admins/login-throttle.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db, Executor } from '../db/database.ts';
import { portalChallenges, portalPasskeys } from '../db/people-schema.ts';
import { AppError, notFound } from '../errors/app-error.ts';
import { accountById } from './credentials.ts';
import { portalPrincipal } from './portal-principal.ts';
import { type NewPortalSession, type PortalSessionState, completePortalSession, createPortalSession } from './portal-session.ts';
import { readSignInPolicy } from './policy.ts';
import { type AttemptContext, lockedError, markSignedIn, portalThrottleKeys } from './sign-in.ts';

const CHALLENGE_TTL_MS = 5 * 60_000;

export interface RelyingParty {
  rpID: string;
  rpName: string;
  origin: string;
}

export function relyingPartyOf(publicUrl: string): RelyingParty {
  const url = new URL(publicUrl);
  return { rpID: url.hostname, rpName: 'Roster', origin: url.origin };
}

export const passkeyViewSchema = z.object({ id: z.uuid(), name: z.string(), createdAt: z.iso.datetime(), lastUsedAt: z.iso.datetime().nullable() });
export type PasskeyView = z.infer<typeof passkeyViewSchema>;

/** The browser's answer, as @simplewebauthn/browser gives it; the library checks the inside. */
const credentialJson = z.looseObject({ id: z.string().min(1).max(1400), rawId: z.string().min(1).max(1400), type: z.literal('public-key'), response: z.looseObject({ clientDataJSON: z.string().max(10_000) }) });
export const registrationFinishSchema = z.strictObject({ challengeId: z.uuid(), name: z.string().trim().min(1, 'is required').max(100).optional(), credential: credentialJson });
export const signInFinishSchema = z.strictObject({ challengeId: z.uuid(), credential: credentialJson });

const userHandle = (userId: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(userId.replace(/-/g, ''), 'hex'));

async function storeChallenge(executor: Executor, kind: 'register' | 'sign_in', userId: string | null, challenge: string): Promise<string> {
  // Anyone may ask for sign-in options: expired, unanswered challenges go as new ones come.
  await executor.delete(portalChallenges).where(lt(portalChallenges.expiresAt, new Date()));
  const [row] = await executor
    .insert(portalChallenges)
    .values({ kind, userId, challenge, expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS) })
    .returning({ id: portalChallenges.id });
  return row!.id;
}

async function takeChallenge(executor: Executor, id: string, kind: 'register' | 'sign_in'): Promise<{ challenge: string; userId: string | null } | null> {
  const [row] = await executor
    .delete(portalChallenges)
    .where(and(eq(portalChallenges.id, id), eq(portalChallenges.kind, kind), gt(portalChallenges.expiresAt, new Date())))
    .returning({ challenge: portalChallenges.challenge, userId: portalChallenges.userId });
  return row ?? null;
}

const refused = (reason: string): AppError =>
  new AppError('invalid_credentials', `The passkey was not accepted: ${reason}.`, { issues: [{ path: 'body.credential', reason }] });

const toPasskeyView = (r: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null }): PasskeyView => ({ ...r, createdAt: r.createdAt.toISOString(), lastUsedAt: r.lastUsedAt?.toISOString() ?? null });

export async function listPasskeys(executor: Executor, userId: string): Promise<PasskeyView[]> {
  const rows = await executor
    .select({ id: portalPasskeys.id, name: portalPasskeys.name, createdAt: portalPasskeys.createdAt, lastUsedAt: portalPasskeys.lastUsedAt })
    .from(portalPasskeys)
    .where(eq(portalPasskeys.userId, userId))
    .orderBy(portalPasskeys.createdAt);
  return rows.map(toPasskeyView);
}

export async function startRegistration(db: Db, rp: RelyingParty, session: PortalSessionState) {
  const existing = await db.select({ id: portalPasskeys.credentialId, transports: portalPasskeys.transports }).from(portalPasskeys).where(eq(portalPasskeys.userId, session.userId));
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: session.email,
    userDisplayName: session.displayName,
    userID: userHandle(session.userId),
    attestationType: 'none',
    excludeCredentials: existing,
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  const challengeId = await storeChallenge(db, 'register', session.userId, options.challenge);
  return { challengeId, options };
}

/** Stores the new passkey; a session enrolling its required second factor becomes a full sign-in. */
export async function finishRegistration(db: Db, rp: RelyingParty, session: PortalSessionState, input: z.infer<typeof registrationFinishSchema>, requestId?: string): Promise<PasskeyView> {
  const stored = await takeChallenge(db, input.challengeId, 'register');
  if (!stored || stored.userId !== session.userId) throw refused('the challenge is unknown, expired or already used; start again');
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: input.credential as unknown as RegistrationResponseJSON,
      expectedChallenge: stored.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: true,
    });
  } catch (e) {
    throw refused(e instanceof Error ? e.message : 'invalid registration');
  }
  if (!verification.verified) throw refused('the registration could not be verified');
  const c = verification.registrationInfo.credential;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(portalPasskeys)
      .values({
        userId: session.userId,
        credentialId: c.id,
        publicKey: Buffer.from(c.publicKey).toString('base64url'),
        counter: c.counter,
        transports: c.transports ?? [],
        name: input.name ?? 'Passkey',
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError('conflict', 'This passkey is already registered.', { details: { reason: 'passkey_exists' } });
    if (session.stage === 'enrol') await completePortalSession(tx, session.sessionId, 'password+passkey');
    await recordAudit(tx, portalPrincipal(session.email), { action: 'portal.passkey.add', targetType: 'user', targetId: session.userId, after: { passkeyId: row.id, name: row.name } }, requestId);
    return toPasskeyView(row);
  });
}

/** Options for a passkey sign-in: any passkey of this site (discoverable), or only the user's own as a second factor. */
export async function startPasskeySignIn(db: Db, rp: RelyingParty, forUserId: string | null) {
  const allowCredentials = forUserId
    ? await db.select({ id: portalPasskeys.credentialId, transports: portalPasskeys.transports }).from(portalPasskeys).where(eq(portalPasskeys.userId, forUserId))
    : undefined;
  const options = await generateAuthenticationOptions({ rpID: rp.rpID, userVerification: 'required', ...(allowCredentials ? { allowCredentials } : {}) });
  const challengeId = await storeChallenge(db, 'sign_in', forUserId, options.challenge);
  return { challengeId, options };
}

/**
 * Checks a passkey assertion. With `pending` (a password sign-in waiting for its second factor) it
 * completes that session; otherwise it opens a new full session. Failures count against the
 * address's throttle and are audited.
 */
export async function finishPasskeySignIn(
  db: Db,
  rp: RelyingParty,
  input: z.infer<typeof signInFinishSchema>,
  ctx: AttemptContext,
  pending: PortalSessionState | null,
): Promise<{ session: NewPortalSession | null; userId: string }> {
  const addressKey = portalThrottleKeys('', ctx.address).address;
  const lockedFor = await lockedForSeconds(db, [addressKey]);
  if (lockedFor > 0) throw lockedError(lockedFor);
  const fail = async (reason: string, userId: string | null, email: string | null): Promise<never> => {
    await db.transaction(async (tx) => {
      await recordFailure(tx, addressKey);
      await recordAudit(tx, portalPrincipal(email ?? ''), { action: 'portal.session.failed', targetType: 'user', targetId: userId, after: { email, reason, method: 'passkey' } }, ctx.requestId);
    });
    throw refused(reason.replace(/_/g, ' '));
  };
  const stored = await takeChallenge(db, input.challengeId, 'sign_in');
  if (!stored) return fail('challenge_unknown_or_expired', null, null);
  const [key] = await db.select().from(portalPasskeys).where(eq(portalPasskeys.credentialId, input.credential.id)).limit(1);
  if (!key) return fail('unknown_passkey', null, null);
  const account = await accountById(db, key.userId);
  if (!account || account.status !== 'active') return fail('inactive', key.userId, account?.email ?? null);
  if ((stored.userId !== null && stored.userId !== key.userId) || (pending !== null && pending.userId !== key.userId)) return fail('passkey_of_another_user', key.userId, account.email);
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: input.credential as unknown as AuthenticationResponseJSON,
      expectedChallenge: stored.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: { id: key.credentialId, publicKey: new Uint8Array(Buffer.from(key.publicKey, 'base64url')), counter: key.counter, transports: key.transports as never },
      requireUserVerification: true,
    });
  } catch {
    return fail('verification_failed', key.userId, account.email);
  }
  if (!verification.verified) return fail('verification_failed', key.userId, account.email);
  const method = pending ? 'password+passkey' : 'passkey';
  return db.transaction(async (tx) => {
    await tx.update(portalPasskeys).set({ counter: verification.authenticationInfo.newCounter, lastUsedAt: new Date() }).where(eq(portalPasskeys.id, key.id));
    let session: NewPortalSession | null = null;
    if (pending) await completePortalSession(tx, pending.sessionId, method);
    else session = await createPortalSession(tx, { userId: key.userId, stage: 'full', mfa: true, method, address: ctx.address, userAgent: ctx.userAgent ?? null });
    await markSignedIn(tx, key.userId);
    await recordAudit(tx, portalPrincipal(account.email), { action: 'portal.session.create', targetType: 'user', targetId: key.userId, after: { email: account.email, method, passkeyId: key.id } }, ctx.requestId);
    return { session, userId: key.userId };
  });
}

/** Removes one of the user's passkeys; the last second factor stays while the policy requires one. */
export async function removePasskey(db: Db, session: PortalSessionState, passkeyId: string, requestId?: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(portalPasskeys).where(and(eq(portalPasskeys.id, passkeyId), eq(portalPasskeys.userId, session.userId))).for('update');
    if (!row) throw notFound('passkey', passkeyId);
    const account = await accountById(tx, session.userId);
    if ((await readSignInPolicy(tx)).mfaRequired && account && !account.totpConfirmed && account.passkeys <= 1) {
      throw new AppError('conflict', 'Your organisation requires a second factor: add another passkey or an authenticator app before removing this one.', { details: { reason: 'last_second_factor' } });
    }
    await tx.delete(portalPasskeys).where(eq(portalPasskeys.id, passkeyId));
    await recordAudit(tx, portalPrincipal(session.email), { action: 'portal.passkey.remove', targetType: 'user', targetId: session.userId, before: { passkeyId, name: row.name } }, requestId);
  });
}
