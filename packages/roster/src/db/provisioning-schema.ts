/**
 * Tables of the provisioning engine: per-application configuration and credentials, links to
 * target objects, cycles, the provisioning log, OAuth handshakes and the shared request budget.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { applications } from './schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One row per application: everything an admin sets on the Provisioning tab. */
export const provisioningConfigs = pgTable('provisioning_configs', {
  applicationId: uuid('application_id')
    .primaryKey()
    .references(() => applications.id, { onDelete: 'cascade' }),
  /** Provisioning status On/Off. */
  enabled: boolean('enabled').notNull().default(false),
  /** Non-secret connection settings: method, subdomain, client id, admin email, scopes. */
  connection: jsonb('connection').$type<Record<string, unknown>>().notNull().default({}),
  /** Encrypted JSON of the secrets (client secret, tokens, API token): never returned by the API. */
  secrets: text('secrets'),
  /** When the OAuth access token expires (ms since epoch), to refresh ahead of time. */
  tokenExpiresAt: ts('token_expires_at'),
  /** Field mappings, matching order, sync actions, scope, cycle interval, notification email… */
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  /** `off` | `idle` | `running` | `stopped` (configuration error) | `quarantined` | `paused` */
  state: text('state').notNull().default('off'),
  /** Why the state is what it is, for the Overview tab: `{ code, message, advice, at }`. */
  stateReason: jsonb('state_reason').$type<Record<string, unknown>>(),
  lastCycleAt: ts('last_cycle_at'),
  nextCycleAt: ts('next_cycle_at'),
  version: integer('version').notNull().default(1),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Directory object ↔ target object, plus what was last written: the engine's memory of what it owns. */
export const links = pgTable(
  'links',
  {
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    /** `user` | `group` */
    objectType: text('object_type').notNull(),
    directoryId: uuid('directory_id').notNull(),
    targetId: text('target_id').notNull(),
    /** Hash of the rendered attributes last confirmed by the target. */
    lastHash: text('last_hash'),
    /** The rendered attributes last confirmed (for old → new in the log and drift repair). */
    lastWritten: jsonb('last_written').$type<Record<string, unknown>>(),
    /** `provisioned` | `suspended` | `linked` (matched, not yet written) */
    state: text('state').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.applicationId, t.objectType, t.directoryId] }),
    uniqueIndex('links_target_key').on(t.applicationId, t.objectType, t.targetId),
  ],
);

/** A full reconcile (initial, periodic, on demand) or an incremental batch, with its counts. */
export const provisioningCycles = pgTable(
  'provisioning_cycles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    /** `initial` | `periodic` | `on_demand` | `incremental` */
    kind: text('kind').notNull(),
    /** `running` | `completed` | `failed` | `cancelled` */
    status: text('status').notNull(),
    /** created / updated / unchanged / suspended / unsuspended / deleted / linked / skipped / failed */
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    /** `{ total, done }` while running. */
    progress: jsonb('progress').$type<{ total: number; done: number }>().notNull().default({ total: 0, done: 0 }),
    error: jsonb('error').$type<Record<string, unknown>>(),
    startedAt: ts('started_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
    /** Renewed by the worker running it; a running cycle whose heartbeat stops was lost with its worker. */
    heartbeatAt: ts('heartbeat_at'),
  },
  (t) => [
    index('provisioning_cycles_app_idx').on(t.applicationId, t.startedAt),
    // The lease: at most one running cycle or batch per application, across every worker.
    uniqueIndex('provisioning_cycles_one_running').on(t.applicationId).where(sql`status = 'running'`),
  ],
);

/** The provisioning log: one event per object action, with its steps and old → new properties. */
export const provisioningEvents = pgTable(
  'provisioning_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull().defaultNow(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    cycleId: uuid('cycle_id'),
    /** `user` | `group` | `membership` | `connection` */
    objectType: text('object_type').notNull(),
    directoryId: uuid('directory_id'),
    targetId: text('target_id'),
    /** Email or name, as the UI shows the object. */
    identity: text('identity'),
    /** create | update | suspend | unsuspend | delete | link | skip | add_member | remove_member | … */
    action: text('action').notNull(),
    /** `success` | `failed` | `skipped` */
    status: text('status').notNull(),
    steps: jsonb('steps').$type<{ name: string; outcome: string; detail?: string }[]>().notNull().default([]),
    changes: jsonb('changes').$type<{ property: string; old: unknown; new: unknown }[]>().notNull().default([]),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    advice: text('advice'),
    durationMs: integer('duration_ms'),
  },
  (t) => [
    index('provisioning_events_app_at_idx').on(t.applicationId, t.at),
    index('provisioning_events_directory_idx').on(t.applicationId, t.directoryId),
  ],
);

/** An OAuth authorization in progress: `state` → the PKCE verifier (encrypted) and who started it. */
export const oauthHandshakes = pgTable('oauth_handshakes', {
  state: text('state').primaryKey(),
  applicationId: uuid('application_id')
    .notNull()
    .references(() => applications.id, { onDelete: 'cascade' }),
  codeVerifier: text('code_verifier').notNull(),
  adminId: uuid('admin_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
});

/** How far a consumer has read the outbox (the engine's relay). */
export const outboxCursors = pgTable('outbox_cursors', {
  consumer: text('consumer').primaryKey(),
  lastId: bigint('last_id', { mode: 'number' }).notNull().default(0),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** One request budget per target account, shared by every worker process. */
export const rateBudgets = pgTable('rate_budgets', {
  /** e.g. `zendesk:acme` */
  accountKey: text('account_key').primaryKey(),
  limitPerMinute: integer('limit_per_minute').notNull(),
  windowStartedAt: ts('window_started_at').notNull().defaultNow(),
  used: integer('used').notNull().default(0),
  /** Nobody sends before this moment (set from Retry-After). */
  blockedUntil: ts('blocked_until'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Object actions that failed and wait for a retry with growing delays (escrow). */
export const provisioningRetries = pgTable(
  'provisioning_retries',
  {
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    objectType: text('object_type').notNull(),
    directoryId: uuid('directory_id').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    lastError: jsonb('last_error').$type<Record<string, unknown>>(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.objectType, t.directoryId] }), index('provisioning_retries_due_idx').on(t.nextAttemptAt)],
);

