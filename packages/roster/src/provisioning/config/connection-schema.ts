/**
 * How an application connects to its target: what the admin sends (API token, or OAuth client
 * details before *Authorize*), what is stored in the clear (`provisioning_configs.connection`) and
 * what is stored encrypted (`provisioning_configs.secrets`, never returned by the API).
 */
import { z } from 'zod';
import type { AccountIdentity, TargetField, TargetRole } from '../../connectors/contract.ts';
import { storableText } from './settings-schema.ts';

const oauthInputSchema = z.strictObject({
  method: z.literal('oauth'),
  /** The OAuth client's identifier in the target (where to find it: the connector's connection form). */
  clientId: storableText(1, 200).trim(),
  clientSecret: storableText(1, 500).trim(),
});
const apiTokenInputSchema = z.strictObject({
  method: z.literal('api_token'),
  /** The admin the token acts as: the target checks this user's role. */
  adminEmail: z.email().max(320),
  apiToken: storableText(1, 500).trim(),
});

/** A connection as the service stores it: the methods of the connector's `connectionMethods`. */
export const connectionInputSchema = z.discriminatedUnion('method', [oauthInputSchema, apiTokenInputSchema]);

/** `PUT /api/apps/{id}/provisioning/connection`: a connection and, unless If-Match names it, the configuration version it replaces. */
const version = z.number().int().positive().optional();
export const connectionBodySchema = z.discriminatedUnion('method', [oauthInputSchema.extend({ version }), apiTokenInputSchema.extend({ version })]);
export type ConnectionInput = z.infer<typeof connectionInputSchema>;

export type ConnectionMethod = ConnectionInput['method'];

/** The account's fields and roles as last read from it, so saving settings needs no network call. */
export interface Catalogue {
  fields: TargetField[];
  roles: TargetRole[];
  readAt: string;
}

/** The clear-text part of the connection, as stored. */
export interface StoredConnection {
  method?: ConnectionMethod;
  clientId?: string;
  adminEmail?: string;
  /** OAuth scopes granted with the current token. */
  scopes?: string[];
  /** When working credentials (API token, or OAuth tokens) were stored. */
  connectedAt?: string | null;
  /** Which secrets are stored (names only), so a read needs no decryption. */
  storedSecrets?: (keyof ConnectionSecrets)[];
  catalogue?: Catalogue;
  /**
   * The connected account's identity, recorded at connect time (Test connection, or the first run
   * after the connection was saved) and checked before every run that writes. Saving or authorizing
   * a connection drops it, so it is recorded again.
   */
  targetIdentity?: AccountIdentity & { recordedAt: string };
  /** The last Test connection on these credentials (connection/last-test.ts). */
  lastTest?: LastTest;
}

/** The outcome of the last Test connection; `cause` is the first failed step, in words. */
export const lastTestSchema = z.object({ ok: z.boolean(), at: z.string(), cause: z.string().nullable() });
export type LastTest = z.infer<typeof lastTestSchema>;

/** The encrypted part, as one JSON object. */
export const connectionSecretsSchema = z.object({
  apiToken: z.string().optional(),
  clientSecret: z.string().optional(),
  accessToken: z.string().optional(),
  refreshToken: z.string().nullable().optional(),
});
export type ConnectionSecrets = z.infer<typeof connectionSecretsSchema>;

/** What the API shows of a connection: never a secret, only whether one is stored. */
export const connectionViewSchema = z.object({
  method: z.enum(['oauth', 'api_token']).nullable(),
  /** The account the application's settings name (the connector's `accountKey`). */
  subdomain: z.string().nullable(),
  clientId: z.string().nullable(),
  adminEmail: z.string().nullable(),
  scopes: z.array(z.string()),
  /** True when Roster holds credentials it can call the target with (API token, or OAuth tokens). */
  connected: z.boolean(),
  /** OAuth: the client secret is stored, so *Authorize* can start. */
  hasClientSecret: z.boolean(),
  connectedAt: z.string().nullable(),
  tokenExpiresAt: z.string().nullable(),
  /** The last Test connection of the saved credentials; null when never tested since they were saved. */
  lastTest: lastTestSchema.nullable(),
});
export type ConnectionView = z.infer<typeof connectionViewSchema>;

/** Reads the stored clear-text connection leniently: it is ours, but older rows may lack keys. */
export function readStoredConnection(value: Record<string, unknown>): StoredConnection {
  return value as StoredConnection;
}
