/**
 * The Zendesk connection form. OAuth (authorization code with refresh) is the primary method:
 * Zendesk stops issuing API tokens in late 2026 and turns them off on 2027-04-30
 * (https://developer.zendesk.com/documentation/api-basics/authentication/oauth-migration/).
 */
import { z } from 'zod';

const subdomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be the part before .zendesk.com: letters, digits and dashes');

const common = {
  subdomain: subdomainSchema,
  /** `{subdomain}` is replaced; Roster's embedded default points it at the sandbox. */
  baseUrlTemplate: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')
    .refine((v) => v.includes('{subdomain}'), 'must contain {subdomain}')
    .default('https://{subdomain}.zendesk.com'),
  /** Per-request timeout; a create that times out is looked up before any retry. */
  requestTimeoutMs: z.number().int().min(100).max(120_000).default(30_000),
  /**
   * Bulk job polling (one request asks about every job in flight): jobs are polled when they should
   * be finished (jobs.ts); this is the interval of the first polls, before the job pace is known, and
   * a waiting job is polled at least every 8 of these.
   */
  jobPollIntervalMs: z.number().int().min(10).max(60_000).default(1000),
};

export const zendeskOAuthConfigSchema = z.strictObject({
  method: z.literal('oauth'),
  ...common,
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).nullable().optional(),
  /** Epoch milliseconds; null when the token does not expire. */
  accessTokenExpiresAt: z.number().int().nullable().optional(),
});

export const zendeskApiTokenConfigSchema = z.strictObject({
  method: z.literal('api_token'),
  ...common,
  email: z.email(),
  apiToken: z.string().min(1),
});

export const zendeskConfigSchema = z.discriminatedUnion('method', [zendeskOAuthConfigSchema, zendeskApiTokenConfigSchema]);

export type ZendeskConfig = z.infer<typeof zendeskConfigSchema>;
export type ZendeskConfigInput = z.input<typeof zendeskConfigSchema>;

export const zendeskSecretKeys = ['clientSecret', 'accessToken', 'refreshToken', 'apiToken'] as const;

/** `https://acme.zendesk.com` from the template, without a trailing slash. */
export function zendeskBaseUrl(config: Pick<ZendeskConfig, 'baseUrlTemplate' | 'subdomain'>): string {
  return config.baseUrlTemplate.replaceAll('{subdomain}', config.subdomain).replace(/\/+$/, '');
}
