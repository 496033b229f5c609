/**
 * Tables of single sign-on (Roster as the identity provider): per-application SSO settings, the
 * signing keys and certificates with their rotation state, and the request ids already seen (replay).
 */
import { sql } from 'drizzle-orm';
import { index, integer, uniqueIndex, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { applications } from './schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One row per application with SSO settings: the method and its (encrypted) secrets. */
export const ssoConfigs = pgTable('sso_configs', {
  applicationId: uuid('application_id')
    .primaryKey()
    .references(() => applications.id, { onDelete: 'cascade' }),
  /** `off` | `saml` | `jwt` */
  method: text('method').notNull().default('off'),
  /** Non-secret settings, e.g. `{ overlapDays }`. */
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  /** The JWT shared secret, encrypted (db/crypto.ts): write-only, never returned by the API. */
  jwtSecret: text('jwt_secret'),
  version: integer('version').notNull().default(1),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** A signing key pair and its self-signed certificate; `next` → `active` → `retired`. */
export const ssoCertificates = pgTable(
  'sso_certificates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    /** `next` (published, not used yet) | `active` (signs) | `retired` (neither). */
    state: text('state').notNull(),
    /** e.g. `RSA-2048` */
    algorithm: text('algorithm').notNull(),
    certificatePem: text('certificate_pem').notNull(),
    /** PKCS#8 PEM of the private key, encrypted: never leaves the server. */
    privateKey: text('private_key').notNull(),
    /** SHA-256 of the DER certificate, upper-case hex pairs joined by `:`. */
    fingerprintSha256: text('fingerprint_sha256').notNull(),
    notBefore: ts('not_before').notNull(),
    notAfter: ts('not_after').notNull(),
    /** A `next` certificate becomes active by itself at this time (the overlap period), unless activated before. */
    activateAt: ts('activate_at'),
    activatedAt: ts('activated_at'),
    retiredAt: ts('retired_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('sso_certificates_app_idx').on(t.applicationId, t.state),
    // At most one active and one next certificate per application.
    uniqueIndex('sso_certificates_one_per_state').on(t.applicationId, t.state).where(sql`state in ('active', 'next')`),
  ],
);

/** Message ids seen by the IdP (AuthnRequest ids), kept until they expire: a second use is a replay. */
export const ssoSeenIds = pgTable(
  'sso_seen_ids',
  {
    /** `<applicationId>:<kind>:<id>` */
    key: text('key').primaryKey(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sso_seen_ids_expires_idx').on(t.expiresAt)],
);
