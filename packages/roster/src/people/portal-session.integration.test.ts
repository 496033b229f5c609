import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal } from '../admins/permissions.ts';
import { sha256 } from '../admins/secrets.ts';
import { portalSessions, portalSettings } from '../db/people-schema.ts';
import { createUser } from '../directory/users/create-user.ts';
import { deleteUser, setUserStatus } from '../directory/users/user-status.ts';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { PORTAL_COOKIE, PORTAL_SESSION_MAX_MS, completePortalSession, createPortalSession, currentPortalUser, endPortalSession, portalSessionByCookie } from './portal-session.ts';

/** What currentPortalUser reads of a request: its parsed cookies (@fastify/cookie). */
const requestWith = (cookie: string | undefined): FastifyRequest => ({ cookies: cookie === undefined ? {} : { [PORTAL_COOKIE]: cookie } }) as unknown as FastifyRequest;

describe.each(openTestDatabase.drivers())('portal sessions on %s', (driver) => {
  let t: TestDatabase;
  let n = 0;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(async () => t?.close());

  const newUser = () => createUser(t.database.db, systemPrincipal, { email: `p${++n}@example.test`, displayName: `Person ${n}` });

  it('finds the user of a full session, stores only the hash of the cookie, and ends it', async () => {
    const u = await newUser();
    const s = await createPortalSession(t.database.db, { userId: u.id, stage: 'full', mfa: false, method: 'password' });
    const [row] = await t.database.db.select().from(portalSessions).where(eq(portalSessions.id, s.sessionId));
    expect(row?.idHash).toBe(sha256(s.cookieValue));
    expect(JSON.stringify(row)).not.toContain(s.cookieValue);
    const who = await currentPortalUser(t.database.db, requestWith(s.cookieValue));
    expect(who).toMatchObject({ userId: u.id, sessionId: s.sessionId, email: u.email, displayName: u.displayName, mfa: false });
    expect(await currentPortalUser(t.database.db, requestWith(undefined))).toBeNull();
    expect(await currentPortalUser(t.database.db, requestWith(`${s.cookieValue}x`))).toBeNull();
    await endPortalSession(t.database.db, s.sessionId);
    expect(await currentPortalUser(t.database.db, requestWith(s.cookieValue))).toBeNull();
  });

  it('opens nothing while the second factor is due, and everything once it is done', async () => {
    const u = await newUser();
    const s = await createPortalSession(t.database.db, { userId: u.id, stage: 'second_factor', mfa: false, method: 'password' });
    expect(await currentPortalUser(t.database.db, requestWith(s.cookieValue))).toBeNull();
    expect((await portalSessionByCookie(t.database.db, s.cookieValue))?.stage).toBe('second_factor');
    await completePortalSession(t.database.db, s.sessionId, 'password+totp');
    expect(await currentPortalUser(t.database.db, requestWith(s.cookieValue))).toMatchObject({ userId: u.id, mfa: true });
  });

  it('expires after idle time and never later than the absolute limit, however often it is used', async () => {
    const u = await newUser();
    const t0 = new Date('2026-03-01T10:00:00Z');
    const s = await createPortalSession(t.database.db, { userId: u.id, stage: 'full', mfa: false, method: 'password' }, t0);
    const hours = (h: number) => new Date(t0.getTime() + h * 3_600_000);
    expect(await portalSessionByCookie(t.database.db, s.cookieValue, hours(7.9))).not.toBeNull();
    // Used at 7.9 h, so it lives until 15.9 h; unused past that it is gone.
    expect(await portalSessionByCookie(t.database.db, s.cookieValue, hours(15))).not.toBeNull();
    expect(await portalSessionByCookie(t.database.db, s.cookieValue, hours(23.1))).toBeNull();
    const s2 = await createPortalSession(t.database.db, { userId: u.id, stage: 'full', mfa: false, method: 'password' }, t0);
    for (let h = 7; h < PORTAL_SESSION_MAX_MS / 3_600_000; h += 7) expect(await portalSessionByCookie(t.database.db, s2.cookieValue, hours(h)), `at ${h} h`).not.toBeNull();
    expect(await portalSessionByCookie(t.database.db, s2.cookieValue, hours(PORTAL_SESSION_MAX_MS / 3_600_000 + 0.01))).toBeNull();
  });

  it("drops the user's expired sessions when a new one starts", async () => {
    const u = await newUser();
    const t0 = new Date('2026-04-01T10:00:00Z');
    const old = await createPortalSession(t.database.db, { userId: u.id, stage: 'full', mfa: false, method: 'password' }, t0);
    const later = new Date(t0.getTime() + 9 * 3_600_000);
    const fresh = await createPortalSession(t.database.db, { userId: u.id, stage: 'full', mfa: false, method: 'password' }, later);
    const ids = (await t.database.db.select({ id: portalSessions.id }).from(portalSessions).where(eq(portalSessions.userId, u.id))).map((r) => r.id);
    expect(ids).toEqual([fresh.sessionId]);
    expect(ids).not.toContain(old.sessionId);
  });

  it('refuses a session without a second factor while the organisation requires one', async () => {
    const u = await newUser();
    const s = await createPortalSession(t.database.db, { userId: u.id, stage: 'full', mfa: false, method: 'password' });
    await t.database.db.insert(portalSettings).values({ id: 1, mfaRequired: true }).onConflictDoUpdate({ target: portalSettings.id, set: { mfaRequired: true } });
    try {
      expect(await currentPortalUser(t.database.db, requestWith(s.cookieValue))).toBeNull();
      const s2 = await createPortalSession(t.database.db, { userId: u.id, stage: 'full', mfa: true, method: 'passkey' });
      expect(await currentPortalUser(t.database.db, requestWith(s2.cookieValue))).toMatchObject({ mfa: true });
    } finally {
      await t.database.db.update(portalSettings).set({ mfaRequired: false }).where(eq(portalSettings.id, 1));
    }
  });

  it('deletes the sessions of a user in the same transaction as deactivation or deletion', async () => {
    const u = await newUser();
    const a = await createPortalSession(t.database.db, { userId: u.id, stage: 'full', mfa: false, method: 'password' });
    await createPortalSession(t.database.db, { userId: u.id, stage: 'second_factor', mfa: false, method: 'password' });
    const other = await newUser();
    const kept = await createPortalSession(t.database.db, { userId: other.id, stage: 'full', mfa: false, method: 'password' });
    await setUserStatus(t.database.db, systemPrincipal, u.id, 'inactive', undefined);
    expect(await t.database.db.select().from(portalSessions).where(eq(portalSessions.userId, u.id))).toEqual([]);
    expect(await currentPortalUser(t.database.db, requestWith(a.cookieValue))).toBeNull();
    // Reactivating does not bring a session back.
    await setUserStatus(t.database.db, systemPrincipal, u.id, 'active', undefined);
    expect(await currentPortalUser(t.database.db, requestWith(a.cookieValue))).toBeNull();
    // A rolled-back deactivation keeps the sessions: the delete is part of the same transaction.
    const b = await createPortalSession(t.database.db, { userId: u.id, stage: 'full', mfa: false, method: 'password' });
    await expect(
      t.database.db.transaction(async (tx) => {
        const { setUserStatusIn } = await import('../directory/users/user-status.ts');
        await setUserStatusIn(tx, systemPrincipal, u.id, 'inactive', undefined);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await currentPortalUser(t.database.db, requestWith(b.cookieValue))).toMatchObject({ userId: u.id });
    await deleteUser(t.database.db, systemPrincipal, u.id, undefined);
    expect(await currentPortalUser(t.database.db, requestWith(b.cookieValue))).toBeNull();
    expect(await currentPortalUser(t.database.db, requestWith(kept.cookieValue))).toMatchObject({ userId: other.id });
  });
});
