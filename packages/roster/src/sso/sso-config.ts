/**
 * An application's SSO settings: the method (off | saml | jwt), the rotation overlap, the JWT
 * shared secret (write-only: stored encrypted, the view says only whether it is set), and the SP's
 * SAML single-logout endpoint (where Roster sends its LogoutResponse; one of the application's own URLs).
 */
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../admins/permissions.ts';
import { recordAudit } from '../audit/audit.ts';
import { decryptSecret, encryptSecret } from '../db/crypto.ts';
import type { Executor } from '../db/database.ts';
import { ssoConfigs } from '../db/sso-schema.ts';
import { findAppRow } from '../directory/apps/app-view.ts';
import { inTransaction } from '../directory/write-helpers.ts';
import { invalidField, versionConflict } from '../errors/app-error.ts';

export const ssoMethods = ['off', 'saml', 'jwt'] as const;
export type SsoMethod = (typeof ssoMethods)[number];

/** Days a next certificate is published before it becomes active by itself. */
export const DEFAULT_OVERLAP_DAYS = 14;

const storedSettingsSchema = z.object({ overlapDays: z.number().int().min(0).max(365).default(DEFAULT_OVERLAP_DAYS), samlLogoutUrl: z.string().nullable().default(null) });

export const ssoUpdateSchema = z.strictObject({
  method: z.enum(ssoMethods).optional(),
  overlapDays: z.number().int().min(0).max(365).optional(),
  /** The shared secret the target's admin center shows; `null` clears it. */
  jwtSecret: z.string().trim().min(16, 'must be the shared secret Admin Center shows (at least 16 characters)').max(512).nullable().optional(),
  /** The SP's SAML single-logout endpoint (HTTP-Redirect); `null` clears it. Must be one of the application's own URLs. */
  samlLogoutUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048).nullable().optional(),
  version: z.number().int().positive().optional(),
});
export type SsoUpdate = z.infer<typeof ssoUpdateSchema>;

export interface SsoConfig {
  applicationId: string;
  method: SsoMethod;
  overlapDays: number;
  jwtSecretSet: boolean;
  samlLogoutUrl: string | null;
  version: number;
}

type Row = typeof ssoConfigs.$inferSelect;

const toConfig = (applicationId: string, row: Row | undefined): SsoConfig => {
  const settings = storedSettingsSchema.parse(row?.settings ?? {});
  return {
    applicationId,
    method: (row?.method ?? 'off') as SsoMethod,
    overlapDays: settings.overlapDays,
    jwtSecretSet: Boolean(row?.jwtSecret),
    samlLogoutUrl: settings.samlLogoutUrl,
    version: row?.version ?? 1,
  };
};

/** What the application's target offers, for checking an update: its methods and its own URLs. */
export interface SsoTargetFacts {
  methods: readonly string[];
  /** Null while the application's settings name no account (no URL is its own yet). */
  isOwnUrl: ((url: string) => boolean) | null;
}

export async function loadSsoConfig(executor: Executor, applicationId: string): Promise<SsoConfig> {
  const [row] = await executor.select().from(ssoConfigs).where(eq(ssoConfigs.applicationId, applicationId));
  return toConfig(applicationId, row);
}

/** The JWT shared secret in clear, for signing only; null when none was pasted. */
export async function loadJwtSecret(executor: Executor, secretKey: Buffer, applicationId: string): Promise<string | null> {
  const [row] = await executor.select({ jwtSecret: ssoConfigs.jwtSecret }).from(ssoConfigs).where(eq(ssoConfigs.applicationId, applicationId));
  return row?.jwtSecret ? decryptSecret(secretKey, row.jwtSecret) : null;
}

export async function saveSsoConfig(
  executor: Executor,
  secretKey: Buffer,
  actor: Principal,
  applicationId: string,
  update: Omit<SsoUpdate, 'version'>,
  expectedVersion: number,
  target: SsoTargetFacts,
  requestId?: string,
): Promise<SsoConfig> {
  return inTransaction(executor, async (tx) => {
    await findAppRow(tx, applicationId);
    await tx.insert(ssoConfigs).values({ applicationId }).onConflictDoNothing();
    const [row] = await tx.select().from(ssoConfigs).where(eq(ssoConfigs.applicationId, applicationId)).for('update');
    if (!row) throw new Error(`sso_configs row of ${applicationId} vanished inside its transaction`);
    if (row.version !== expectedVersion) throw versionConflict('SSO configuration', applicationId, row.version);
    const before = toConfig(applicationId, row);
    if (update.method && update.method !== 'off' && !target.methods.includes(update.method)) throw invalidField('body.method', `this application does not offer ${update.method} sign-in`);
    // The LogoutResponse goes there: only the application's own pages, never an open redirect.
    if (update.samlLogoutUrl && !target.isOwnUrl?.(update.samlLogoutUrl)) throw invalidField('body.samlLogoutUrl', 'must be one of the application’s own URLs (its account’s address)');
    const jwtSecret = update.jwtSecret === undefined ? row.jwtSecret : update.jwtSecret === null ? null : encryptSecret(secretKey, update.jwtSecret);
    const method = update.method ?? before.method;
    if (method === 'jwt' && !jwtSecret) throw invalidField('body.jwtSecret', 'JWT sign-in needs the shared secret from the application’s admin center');
    const settings = {
      ...row.settings,
      ...(update.overlapDays === undefined ? {} : { overlapDays: update.overlapDays }),
      ...(update.samlLogoutUrl === undefined ? {} : { samlLogoutUrl: update.samlLogoutUrl }),
    };
    const [saved] = await tx
      .update(ssoConfigs)
      .set({ method, settings, jwtSecret, version: sql`${ssoConfigs.version} + 1`, updatedAt: new Date() })
      .where(eq(ssoConfigs.applicationId, applicationId))
      .returning();
    const after = toConfig(applicationId, saved);
    // The secret itself never enters the audit log: only whether it changed.
    await recordAudit(
      tx,
      actor,
      { action: 'sso.settings.update', targetType: 'application', targetId: applicationId, before, after: { ...after, ...(update.jwtSecret !== undefined ? { jwtSecretChanged: true } : {}) } },
      requestId,
    );
    return after;
  });
}
