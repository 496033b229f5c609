/**
 * The OAuth authorization code flow with PKCE (S256) for an application: *Authorize* records a
 * handshake (random `state` → encrypted PKCE verifier, the admin, 10-minute expiry) and returns
 * the target's consent URL; the callback consumes the handshake once, exchanges the code and stores
 * the tokens encrypted. The authorize URL and the token exchange are the connector's (`oauth`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import { effectivePermissions } from '../../admins/permissions.ts';
import { recordAudit } from '../../audit/audit.ts';
import { connectorFor, urlTemplateFor } from '../../connectors/registry.ts';
import type { OAuthDefinition, TargetUrls } from '../../connectors/target-facts.ts';
import type { Db } from '../../db/database.ts';
import { decryptSecret, encryptSecret } from '../../db/crypto.ts';
import { oauthHandshakes, provisioningConfigs } from '../../db/provisioning-schema.ts';
import { admins, applications } from '../../db/schema.ts';
import { recordChange } from '../../directory/outbox.ts';
import { AppError } from '../../errors/app-error.ts';
import { type Result, err, ok } from '../../errors/result.ts';
import { type Queue, ensureQueues } from '../../jobs/queue.ts';
import { provisioningQueues } from '../triggers/job-names.ts';
import { loadProvisioningConfig } from '../config/load-config.ts';
import { storeOAuthTokens } from '../config/oauth-tokens.ts';
import { loadSecrets } from '../config/secrets.ts';
import { requestCycle } from '../triggers/request-cycle.ts';

/** How long an admin has to sign in and consent. */
export const HANDSHAKE_TTL_MS = 10 * 60_000;

/** Roster's redirect URL, registered on the OAuth client in the target. */
export const oauthRedirectUrl = (publicUrl: string): string => `${publicUrl.replace(/\/+$/, '')}/provision/oauth/callback`;

export interface OAuthContext {
  db: Db;
  secretKey: Buffer;
  /** Where this process reaches targets (`config.targetUrls`). */
  targetUrls: TargetUrls;
  publicUrl: string;
  queue?: Queue | undefined;
  fetch?: typeof fetch;
}

/** The account's URL, as the gallery entry resolves it from the application's settings. */
function baseUrlOf(type: string, settings: Record<string, unknown>, targetUrls: TargetUrls): string {
  return connectorFor(type)?.gallery.targetUrl(settings, urlTemplateFor(type, targetUrls)) ?? '';
}

/** A PKCE pair (RFC 7636, S256). */
function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The OAuth block of an application's connector; none: the type has no OAuth method. */
function oauthOf(type: string): OAuthDefinition | null {
  return connectorFor(type)?.oauth ?? null;
}

/** Starts an authorization: returns where to send the admin's browser. */
export async function startAuthorization(ctx: OAuthContext, principal: Principal, applicationId: string, opts: { requestId?: string } = {}): Promise<{ authorizeUrl: string; expiresAt: string }> {
  const config = await loadProvisioningConfig(ctx.db, applicationId);
  const oauth = oauthOf(config.type);
  if (config.connection.method !== 'oauth' || !config.connection.clientId || !config.connection.hasClientSecret || config.account === null || !oauth) {
    throw new AppError('not_connected', 'Save the OAuth client identifier and secret first (PUT /api/apps/{id}/provisioning/connection with method "oauth"), then authorize.', {
      issues: [{ path: 'connection', reason: 'no OAuth client details' }],
    });
  }
  const pkce = createPkcePair();
  const state = randomBytes(24).toString('base64url');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + HANDSHAKE_TTL_MS);
  await ctx.db.transaction(async (tx) => {
    await tx.delete(oauthHandshakes).where(lt(oauthHandshakes.expiresAt, now));
    await tx.insert(oauthHandshakes).values({ state, applicationId, codeVerifier: encryptSecret(ctx.secretKey, pkce.verifier), adminId: principal.adminId, expiresAt });
    await recordAudit(tx, principal, { action: 'provisioning.oauth.start', targetType: 'application', targetId: applicationId, after: { clientId: config.connection.clientId, expiresAt: expiresAt.toISOString() } }, opts.requestId);
  });
  const url = oauth.authorizeUrl({ baseUrl: baseUrlOf(config.type, config.targetSettings, ctx.targetUrls), clientId: config.connection.clientId, redirectUri: oauthRedirectUrl(ctx.publicUrl), state, codeChallenge: pkce.challenge });
  return { authorizeUrl: url, expiresAt: expiresAt.toISOString() };
}

export interface CallbackQuery {
  state?: string | undefined;
  code?: string | undefined;
  error?: string | undefined;
  error_description?: string | undefined;
}

/** Why a callback did not connect; `applicationId` when the state was known (to send the admin back there). */
export interface CallbackFailure {
  message: string;
  applicationId: string | null;
}

/** Completes an authorization from the browser's callback. Each handshake is used at most once. */
export async function completeAuthorization(ctx: OAuthContext, query: CallbackQuery, opts: { requestId?: string } = {}): Promise<Result<{ applicationId: string }, CallbackFailure>> {
  if (!query.state) return err({ message: 'The callback carries no state: start again with Authorize in Roster.', applicationId: null });
  const [handshake] = await ctx.db.delete(oauthHandshakes).where(eq(oauthHandshakes.state, query.state)).returning();
  if (!handshake) return err({ message: 'This authorization is unknown or was already completed: start again with Authorize in Roster.', applicationId: null });
  const applicationId = handshake.applicationId;
  const fail = (message: string) => err({ message, applicationId });
  if (handshake.expiresAt.getTime() < Date.now()) return fail('The authorization took longer than 10 minutes and expired: choose Authorize again.');
  const [app] = await ctx.db.select({ type: applications.type }).from(applications).where(eq(applications.id, applicationId));
  const target = (app && connectorFor(app.type)?.name) ?? 'the target';
  if (query.error === 'access_denied') return fail(`Authorization was denied in ${target}: choose Authorize again and press Allow.`);
  if (query.error) return fail(`${target} refused the authorization (${query.error}${query.error_description ? `: ${query.error_description}` : ''}). Check the OAuth client in ${target}, then choose Authorize again.`);
  if (!query.code) return fail(`${target} sent no authorization code: choose Authorize again.`);

  const config = await loadProvisioningConfig(ctx.db, applicationId);
  const secrets = await loadSecrets(ctx.db, ctx.secretKey, applicationId);
  const oauth = oauthOf(config.type);
  if (config.connection.method !== 'oauth' || !config.connection.clientId || !secrets.clientSecret || config.account === null || !oauth) {
    return fail('The OAuth client details changed while authorizing: choose Authorize again.');
  }
  const tokens = await oauth.exchangeCode({
    fetch: ctx.fetch ?? fetch,
    baseUrl: baseUrlOf(config.type, config.targetSettings, ctx.targetUrls),
    clientId: config.connection.clientId,
    clientSecret: secrets.clientSecret,
    code: query.code,
    redirectUri: oauthRedirectUrl(ctx.publicUrl),
    codeVerifier: decryptSecret(ctx.secretKey, handshake.codeVerifier),
  });
  if (!tokens.ok) return fail(`${target} did not issue tokens: ${tokens.error.message}. ${tokens.error.advice}`);

  const actor = await handshakeAdmin(ctx.db, handshake.adminId);
  if (ctx.queue && config.enabled && (config.state === 'stopped' || config.state === 'quarantined')) await ensureQueues(ctx.queue, [provisioningQueues.cycle]);
  const scopes = tokens.value.scope.split(/\s+/).filter(Boolean);
  await ctx.db.transaction(async (tx) => {
    await storeOAuthTokens(tx, ctx.secretKey, applicationId, tokens.value, { scopes, at: new Date() });
    // Authorizing again is how an application stopped by expired credentials recovers.
    // A quarantined application keeps its state: the cycle requested here lifts the quarantine if it succeeds.
    const resumed = config.enabled && (config.state === 'stopped' || config.state === 'quarantined');
    if (resumed && config.state === 'stopped') await tx.update(provisioningConfigs).set({ state: 'idle', stateReason: null }).where(eq(provisioningConfigs.applicationId, applicationId));
    await recordAudit(tx, actor, { action: 'provisioning.oauth.connect', targetType: 'application', targetId: applicationId, after: { clientId: config.connection.clientId, scopes, resumed } }, opts.requestId);
    await recordChange(tx, { entityType: 'application', entityId: applicationId, op: 'updated', data: { fields: ['provisioning.connection'] } });
    if (resumed && ctx.queue) await requestCycle(tx, ctx.queue, applicationId, 'on_demand');
  });
  return ok({ applicationId });
}

/** The admin who started the handshake, as the audit log's actor. */
async function handshakeAdmin(db: Db, adminId: string | null): Promise<Principal> {
  const [row] = adminId ? await db.select().from(admins).where(eq(admins.id, adminId)) : [];
  const role = row?.role === 'owner' ? 'owner' : 'admin';
  return { adminId: row?.id ?? null, email: row?.email ?? null, role, permissions: effectivePermissions(role, row?.permissions ?? []), via: 'session' };
}
