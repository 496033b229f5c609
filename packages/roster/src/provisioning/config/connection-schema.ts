/**
 * How an application connects to its target: what the admin sends (one of the connector's
 * connection methods with its form fields, e.g. an API token, a bearer token, or OAuth client
 * details before *Authorize*), what is stored in the clear (`provisioning_configs.connection`: the
 * method and its non-secret fields) and what is stored encrypted (`provisioning_configs.secrets`:
 * the form's secret fields and OAuth tokens, never returned by the API).
 */
import { z } from 'zod';
import type { AccountIdentity, TargetField, TargetRole } from '../../connectors/contract.ts';
import type { ConnectionFormField, ConnectionMethodForm } from '../../connectors/target-facts.ts';
import { storableText } from './settings-schema.ts';

/** One form field's value: typed by the field's kind; an optional field left empty is absent. */
function fieldSchema(f: ConnectionFormField): z.ZodType<string | undefined> {
  const base =
    f.type === 'email'
      ? z.email().max(320)
      : f.type === 'url'
        ? storableText(1, 2000)
            .trim()
            .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')
        : storableText(1, f.type === 'secret' ? 500 : 200).trim();
  return f.required ? base : z.preprocess((v) => (v === '' ? undefined : v), base.optional());
}

/** The body of one connection method: `method` and the method's form fields, nothing else. */
function methodSchema(m: ConnectionMethodForm) {
  return z.strictObject({ method: z.literal(m.method), ...Object.fromEntries(m.fields.map((f) => [f.key, fieldSchema(f)])) });
}

/**
 * A connection as an admin sends it, validated against the application's connector's connection
 * methods (`ConnectorDefinition.connectionMethods`, the form the web app renders): `method` names one
 * and the body holds that method's fields. Errors name the field and the reason.
 */
export function connectionInputSchemaFor(methods: readonly ConnectionMethodForm[]): z.ZodType<ConnectionInput> {
  const [first, ...rest] = methods.map(methodSchema);
  if (!first) return z.never() as unknown as z.ZodType<ConnectionInput>;
  const union = z.discriminatedUnion('method', [first, ...rest], {
    error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${methods.map((m) => m.method).join(', ')}` : undefined),
  });
  return union.transform((v) => Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as ConnectionInput);
}

/**
 * `PUT /api/apps/{id}/provisioning/connection` (and test-values) as the route reads it: a method and
 * its fields, checked against the application's connector by `connectionInputSchemaFor`; `version`
 * unless If-Match names it.
 */
export const connectionBodySchema = z.looseObject({ method: storableText(1, 100), version: z.number().int().positive().optional() });

/** `{ method, ...fields }`: the fields of the connector's method form with the values sent. */
export type ConnectionInput = { method: string } & Record<string, string>;

export type ConnectionMethod = string;

/** The account's fields and roles as last read from it, so saving settings needs no network call. */
export interface Catalogue {
  fields: TargetField[];
  roles: TargetRole[];
  readAt: string;
}

/** The clear-text part of the connection, as stored. */
export interface StoredConnection {
  method?: ConnectionMethod;
  /** The method's non-secret field values (e.g. a client id, a user name), by form key. */
  fields?: Record<string, string>;
  /** Stored before `fields` existed (an OAuth client id, an API token's admin email): read from the top level still. */
  clientId?: string;
  adminEmail?: string;
  /** OAuth scopes granted with the current token. */
  scopes?: string[];
  /** When working credentials (API token, or OAuth tokens) were stored. */
  connectedAt?: string | null;
  /** Which secrets are stored (names only), so a read needs no decryption. */
  storedSecrets?: string[];
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

/** The encrypted part, as one JSON object: the method's secret fields by form key, and OAuth tokens. */
export const connectionSecretsSchema = z
  .object({
    apiToken: z.string().optional(),
    clientSecret: z.string().optional(),
    accessToken: z.string().optional(),
    refreshToken: z.string().nullable().optional(),
  })
  .catchall(z.string().nullable().optional());
export type ConnectionSecrets = z.infer<typeof connectionSecretsSchema>;

/** What the API shows of a connection: never a secret, only whether one is stored. */
export const connectionViewSchema = z.object({
  /** One of the connector's `connectionMethods`. */
  method: z.string().nullable(),
  /** The account the application's settings name (the connector's `accountKey`). */
  subdomain: z.string().nullable(),
  clientId: z.string().nullable(),
  adminEmail: z.string().nullable(),
  /** The non-secret field values of the saved method, by form key (secrets are never shown). */
  fields: z.record(z.string(), z.string()),
  /** The secret fields stored for the saved method (names only). */
  storedSecrets: z.array(z.string()),
  scopes: z.array(z.string()),
  /** True when Roster holds credentials it can call the target with (every required secret of the method, or OAuth tokens). */
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
