/**
 * Sign-in of directory users (the portal realm, separate from admins): credentials, one-time links,
 * sessions, second factors and the organisation's sign-in policy. A directory user is a `users` row.
 */
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './schema.ts';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One row per directory user who was invited or holds a password. */
export const portalCredentials = pgTable('portal_credentials', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** scrypt hash (admins/secrets.ts); null until the invitation is accepted. */
  passwordHash: text('password_hash'),
  invitedAt: at('invited_at'),
  passwordSetAt: at('password_set_at'),
  /** TOTP secret encrypted with the secret key (db/crypto.ts); confirmed once a code from it was checked. */
  totpSecretEnc: text('totp_secret_enc'),
  totpConfirmedAt: at('totp_confirmed_at'),
  /** The last TOTP time step accepted, so one code cannot be used twice. */
  totpLastStep: integer('totp_last_step'),
  lastSignInAt: at('last_sign_in_at'),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

/** Invitation and password-reset links: only the sha256 of the token is stored; single use. */
export const portalTokens = pgTable(
  'portal_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** `invite` | `reset` */
    kind: text('kind').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
  },
  (t) => [uniqueIndex('portal_tokens_hash_key').on(t.tokenHash), index('portal_tokens_user_idx').on(t.userId)],
);

/**
 * Portal sessions. `stage`: `full` (signed in), `second_factor` (password checked, TOTP or passkey
 * due) or `enrol` (password checked, the policy requires a second factor the user does not have yet).
 */
export const portalSessions = pgTable(
  'portal_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** sha256 of the cookie value; the cookie itself is never stored. */
    idHash: text('id_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    stage: text('stage').notNull(),
    /** A second factor (TOTP or passkey) was used. */
    mfa: boolean('mfa').notNull().default(false),
    /** `password`, `password+totp`, `password+passkey`, `passkey` */
    method: text('method').notNull(),
    address: text('address'),
    userAgent: text('user_agent'),
    createdAt: at('created_at').notNull().defaultNow(),
    authenticatedAt: at('authenticated_at').notNull().defaultNow(),
    lastSeenAt: at('last_seen_at').notNull().defaultNow(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [uniqueIndex('portal_sessions_id_hash_key').on(t.idHash), index('portal_sessions_user_idx').on(t.userId)],
);

/** WebAuthn credentials (passkeys). */
export const portalPasskeys = pgTable(
  'portal_passkeys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** base64url credential id, as the authenticator returns it. */
    credentialId: text('credential_id').notNull(),
    /** base64url COSE public key. */
    publicKey: text('public_key').notNull(),
    counter: integer('counter').notNull().default(0),
    transports: jsonb('transports').$type<string[]>().notNull().default([]),
    name: text('name').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    lastUsedAt: at('last_used_at'),
  },
  (t) => [uniqueIndex('portal_passkeys_credential_key').on(t.credentialId), index('portal_passkeys_user_idx').on(t.userId)],
);

/** WebAuthn challenges waiting for their answer (registration or sign-in), single use, short-lived. */
export const portalChallenges = pgTable('portal_challenges', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** `register` (user known) or `sign_in` (user found from the credential). */
  kind: text('kind').notNull(),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
  challenge: text('challenge').notNull(),
  expiresAt: at('expires_at').notNull(),
});

/** The organisation's sign-in policy: one row, id 1. */
export const portalSettings = pgTable('portal_settings', {
  id: integer('id').primaryKey(),
  mfaRequired: boolean('mfa_required').notNull().default(false),
  version: integer('version').notNull().default(1),
  updatedAt: at('updated_at').notNull().defaultNow(),
});
