/**
 * The SCIM connection form: the app's SCIM base URL and one of three ways to authenticate —
 * a bearer token (RFC 6750, what most apps hand out), HTTP Basic, or OAuth 2.0 client credentials
 * (RFC 6749 §4.4: the token is fetched, cached until shortly before it expires, and fetched again
 * once after a 401).
 */
import { z } from 'zod';

const httpUrl = z
  .string()
  .trim()
  .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')
  .transform((v) => v.replace(/\/+$/, ''));

const common = {
  /** The SCIM root, e.g. `https://app.example.com/scim/v2` (the path before `/Users`). */
  baseUrl: httpUrl,
  /**
   * How a search by email is written (RFC 7644 §3.4.2.2): `emails[value]` (`emails[value eq "…"]`,
   * the default), `emails.value` (`emails.value eq "…"`, for apps without value-path filters) or
   * `userName` (apps whose userName is the email and that filter on nothing else).
   */
  emailFilter: z.enum(['emails[value]', 'emails.value', 'userName']).default('emails[value]'),
  /** Role values the app accepts in the User `roles` attribute (offered as roles `role:<value>`). */
  roleValues: z.preprocess(
    // The application setting holds them comma-separated.
    (v) => (typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : v),
    z.array(z.string().trim().min(1).max(200)).max(100).default([]),
  ),
  /** Requests in flight at once on one connection. */
  maxConcurrency: z.number().int().min(1).max(32).default(4),
  /** Per-request timeout; a create that times out is looked up before any retry. */
  requestTimeoutMs: z.number().int().min(100).max(120_000).default(30_000),
  /** How long this process's connections share what the app supports (discovery-cache.ts); 0: each connection reads it. */
  discoveryCacheMs: z.number().int().min(0).max(3_600_000).default(600_000),
  /** The process's URL template for SCIM apps (`TargetUrls.scim`): `{baseUrl}` is replaced by the base URL. */
  baseUrlTemplate: z.string().includes('{baseUrl}', { message: 'must contain {baseUrl}' }).optional(),
  /** An engine-wide connector option for targets with asynchronous jobs; SCIM has none, so it is accepted and unused. */
  jobPollIntervalMs: z.number().int().optional(),
};

export const scimBearerConfigSchema = z.strictObject({ method: z.literal('bearer'), ...common, token: z.string().min(1) });
export const scimBasicConfigSchema = z.strictObject({ method: z.literal('basic'), ...common, username: z.string().min(1), password: z.string().min(1) });
export const scimClientCredentialsConfigSchema = z.strictObject({
  method: z.literal('oauth_client_credentials'),
  ...common,
  tokenUrl: httpUrl,
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** Space-separated scopes to ask for; absent: the token endpoint's default. */
  scope: z.string().trim().min(1).optional(),
});

/** The base URL as this process reaches it: `baseUrlTemplate` with `{baseUrl}` replaced. */
export const scimConfigSchema = z
  .discriminatedUnion('method', [scimBearerConfigSchema, scimBasicConfigSchema, scimClientCredentialsConfigSchema])
  .transform(({ baseUrlTemplate, ...c }) => ({ ...c, baseUrl: baseUrlTemplate ? baseUrlTemplate.replaceAll('{baseUrl}', c.baseUrl).replace(/\/+$/, '') : c.baseUrl }));

export type ScimConfig = z.output<typeof scimConfigSchema>;
export type ScimConfigInput = z.input<typeof scimConfigSchema>;

export const scimSecretKeys = ['token', 'password', 'clientSecret'] as const;
