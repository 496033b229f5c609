/**
 * The SSO tab of an application: method and settings (GET/PATCH with If-Match), what to paste into
 * the application's admin center, the signing certificates with rotation, and *Test sign-in as…*.
 * Reads need view_apps, writes manage_provisioning. No answer carries a private key, the JWT shared
 * secret or a signature.
 */
import { z } from 'zod';
import { recordAudit } from '../../audit/audit.ts';
import { type AppSso, certificateSubject, loadAppSso } from '../../sso/app-sso.ts';
import { activateNext, certificateStates, ensureActive, listCertificates, rotateCertificate, toCertificateView } from '../../sso/keys/certificates.ts';
import { previewSignIn } from '../../sso/sign-in.ts';
import { saveSsoConfig, ssoMethods, ssoUpdateSchema } from '../../sso/sso-config.ts';
import { principalOf, requirePermission } from '../auth.ts';
import type { RouteModule } from '../context.ts';
import { requiredVersion, setEtag } from '../if-match.ts';

const idParams = z.object({ id: z.uuid() });
const tags = ['sso'];

const certificateSchema = z.object({
  id: z.string(),
  state: z.enum(certificateStates),
  algorithm: z.string(),
  fingerprintSha256: z.string(),
  certificatePem: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  activateAt: z.string().nullable(),
  activatedAt: z.string().nullable(),
  retiredAt: z.string().nullable(),
  createdAt: z.string(),
});

const ssoViewSchema = z.object({
  applicationId: z.string(),
  method: z.enum(ssoMethods),
  /** The methods this application's target offers. */
  methods: z.array(z.enum(['saml', 'jwt'])),
  overlapDays: z.number(),
  jwtSecretSet: z.boolean(),
  /** The SP's SAML single-logout endpoint: where Roster's LogoutResponse goes (null: none, a signed-out page instead). */
  samlLogoutUrl: z.string().nullable(),
  version: z.number(),
  /** Exactly what the application's admin center asks for. */
  paste: z.object({
    samlSignInUrl: z.string(),
    remoteLogoutUrl: z.string(),
    certificateFingerprintSha256: z.string().nullable(),
    metadataUrl: z.string(),
    entityId: z.string(),
    jwtRemoteLoginUrl: z.string(),
    myAppsStartUrl: z.string(),
  }),
  /** Where the application receives sign-ins (null until its account is named). */
  target: z.object({ acsUrl: z.string(), audience: z.string(), jwtUrl: z.string().nullable() }).nullable(),
  certificates: z.array(certificateSchema),
});

const previewSchema = z.object({
  method: z.enum(ssoMethods),
  refusal: z.object({ code: z.string(), message: z.string(), advice: z.string() }).nullable(),
  nameId: z.string().optional(),
  nameIdFormat: z.string().optional(),
  attributes: z.array(z.object({ name: z.string(), values: z.array(z.string()) })).optional(),
  audience: z.string().optional(),
  recipient: z.string().optional(),
  claims: z.record(z.string(), z.unknown()).optional(),
  url: z.string().optional(),
});

export const ssoAdminRoutes: RouteModule = (app, ctx) => {
  const read = { onRequest: requirePermission('view_apps') };
  const write = { onRequest: requirePermission('manage_provisioning') };
  const loadApp = (id: string) => loadAppSso(ctx.db, id, ctx.config.publicUrl, ctx.config.targetUrls);

  const view = async (sso: AppSso): Promise<z.infer<typeof ssoViewSchema>> => {
    const offersSaml = sso.definition?.methods.includes('saml') ?? false;
    // The SSO tab needs the fingerprint before SAML is on: the first key is made when first shown.
    if (offersSaml) await ensureActive(ctx.db, ctx.secretKey, sso.applicationId, certificateSubject(sso));
    const certificates = (await listCertificates(ctx.db, sso.applicationId)).map(toCertificateView);
    return {
      applicationId: sso.applicationId,
      method: sso.config.method,
      methods: [...(sso.definition?.methods ?? [])],
      overlapDays: sso.config.overlapDays,
      jwtSecretSet: sso.config.jwtSecretSet,
      samlLogoutUrl: sso.config.samlLogoutUrl,
      version: sso.config.version,
      paste: {
        samlSignInUrl: sso.urls.ssoUrl,
        remoteLogoutUrl: sso.urls.logoutUrl,
        certificateFingerprintSha256: certificates.find((c) => c.state === 'active')?.fingerprintSha256 ?? null,
        metadataUrl: sso.urls.metadataUrl,
        entityId: sso.urls.entityId,
        jwtRemoteLoginUrl: sso.urls.jwtLoginUrl,
        myAppsStartUrl: sso.urls.startUrl,
      },
      target: sso.endpoints ? { acsUrl: sso.endpoints.acsUrl, audience: sso.endpoints.audience, jwtUrl: sso.endpoints.jwtUrl ?? null } : null,
      certificates,
    };
  };

  app.get('/api/apps/:id/sso', { ...read, schema: { tags, summary: 'Read the SSO settings and what to paste into the application (never secrets)', params: idParams, response: { 200: ssoViewSchema } } }, async (request, reply) => {
    const sso = await loadApp(request.params.id);
    setEtag(reply, sso.config.version);
    return view(sso);
  });

  app.patch(
    '/api/apps/:id/sso',
    { ...write, schema: { tags, summary: 'Change the SSO method and settings; the JWT shared secret is write-only (If-Match or version required)', params: idParams, body: ssoUpdateSchema, response: { 200: ssoViewSchema } } },
    async (request, reply) => {
      const { version, ...update } = request.body;
      const before = await loadApp(request.params.id);
      const { definition, endpoints } = before;
      const isOwnUrl = definition && endpoints ? (url: string) => definition.isOwnUrl(endpoints, url) : null;
      await saveSsoConfig(ctx.db, ctx.secretKey, principalOf(request), request.params.id, update, requiredVersion(request, version), { methods: definition?.methods ?? [], isOwnUrl }, request.id);
      const sso = await loadApp(request.params.id);
      setEtag(reply, sso.config.version);
      return view(sso);
    },
  );

  app.get('/api/apps/:id/sso/certificates', { ...read, schema: { tags, summary: 'The signing certificates (next, active, retired) with SHA-256 fingerprints', params: idParams, response: { 200: z.object({ items: z.array(certificateSchema) }) } } }, async (request) => {
    await loadApp(request.params.id);
    return { items: (await listCertificates(ctx.db, request.params.id)).map(toCertificateView) };
  });

  app.post(
    '/api/apps/:id/sso/certificates/rotate',
    { ...write, schema: { tags, summary: 'Create the next certificate: published in metadata at once, active when activated or after the overlap period', params: idParams, response: { 201: certificateSchema } } },
    async (request, reply) => {
      const sso = await loadApp(request.params.id);
      const row = await rotateCertificate(ctx.db, ctx.secretKey, sso.applicationId, certificateSubject(sso), sso.config.overlapDays);
      const cert = toCertificateView(row);
      await recordAudit(ctx.db, principalOf(request), { action: 'sso.certificate.rotate', targetType: 'application', targetId: sso.applicationId, after: { certificateId: cert.id, fingerprintSha256: cert.fingerprintSha256, activateAt: cert.activateAt } }, request.id);
      return reply.code(201).send(cert);
    },
  );

  app.post(
    '/api/apps/:id/sso/certificates/activate-next',
    { ...write, schema: { tags, summary: 'Make the next certificate the one that signs (the active one is retired)', params: idParams, response: { 200: certificateSchema } } },
    async (request) => {
      await loadApp(request.params.id);
      const cert = toCertificateView(await activateNext(ctx.db, request.params.id));
      await recordAudit(ctx.db, principalOf(request), { action: 'sso.certificate.activate', targetType: 'application', targetId: request.params.id, after: { certificateId: cert.id, fingerprintSha256: cert.fingerprintSha256 } }, request.id);
      return cert;
    },
  );

  app.post(
    '/api/apps/:id/sso/test',
    { ...read, schema: { tags, summary: 'Test sign-in as a user: the NameID and attributes (or JWT claims) Roster would send, or why it would refuse', params: idParams, body: z.strictObject({ userId: z.uuid() }), response: { 200: previewSchema } } },
    async (request) => previewSignIn(ctx.db, await loadApp(request.params.id), request.body.userId),
  );
};
