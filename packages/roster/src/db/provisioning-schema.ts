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
  /**
   * The engine's health memory (not admin-editable, so it never bumps `version`): failure streaks,
   * quarantine start, the last notified state, e.g. `{ failedCycles, quarantinedAt, notified }`.
   */
  health: jsonb('health').$type<Record<string, unknown>>().notNull().default({}),
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
    /**
     * The process holding the lease: `pg:<advisory lock key>:<pid>` on PostgreSQL (alive while that
     * session-level advisory lock is held), `boot:<boot id>:<pid>` on PGlite (alive only in this boot).
     * Null for leases taken outside a lease holder (tests): those die by heartbeat alone.
     */
    holder: text('holder'),
    /** Write-ahead intent: what the run was asked to do, re-enqueued at once if its worker dies (run/lost-runs.ts). */
    scope: jsonb('scope').$type<{ userIds?: string[]; groupIds?: string[]; planId?: string; createIds?: string[] }>(),
    /**
     * `main`: every kind of run; `quick`: a small incremental batch of users only, which may run beside a
     * main incremental batch whose users it does not share (run/lanes.ts), so single changes do not wait for a burst.
     */
    lane: text('lane').notNull().default('main'),
  },
  (t) => [
    index('provisioning_cycles_app_idx').on(t.applicationId, t.startedAt),
    // The lease: at most one running cycle or batch per application and lane, across every worker.
    uniqueIndex('provisioning_cycles_one_running').on(t.applicationId, t.lane).where(sql`status = 'running'`),
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
  /** Transaction id of the last row consumed: the cursor is (last_xact, last_id). 0 = not set yet (see outbox-relay.ts). */
  lastXact: bigint('last_xact', { mode: 'number' }).notNull().default(0),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** One request budget per target account, shared by every worker process. */
export const rateBudgets = pgTable('rate_budgets', {
  /** `<connector type>:<account>` */
  accountKey: text('account_key').primaryKey(),
  limitPerMinute: integer('limit_per_minute').notNull(),
  windowStartedAt: ts('window_started_at').notNull().defaultNow(),
  used: integer('used').notNull().default(0),
  /** Nobody sends before this moment (set from Retry-After). */
  blockedUntil: ts('blocked_until'),
  /** `target` (its headers), `assumed` (the connector's starting value) or `probed` (see pacer-schedule.ts). */
  limitSource: text('limit_source').$type<'assumed' | 'target' | 'probed'>().notNull().default('assumed'),
  /** When probing last raised the limit. */
  raisedAt: ts('raised_at'),
  /** After a 429 without headers, probing waits until then. */
  probeHoldUntil: ts('probe_hold_until'),
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


/**
 * A plan kept for review: a dry run, a cycle waiting for approval, or suspends/deletes staged by
 * the deletion threshold. Its actions are rows of `provisioning_plan_actions`.
 */
export const provisioningPlans = pgTable(
  'provisioning_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    /** The cycle that computed it (null for a dry run computed outside a cycle). */
    cycleId: uuid('cycle_id'),
    /** `dry_run` | `approval` | `staged_deletions` */
    kind: text('kind').notNull(),
    /** `computing` | `ready` (dry run) | `pending` | `approved` | `discarded` | `applied` | `superseded` | `failed` */
    status: text('status').notNull(),
    /** Actions by kind, e.g. `{ create: 3, update: 1, delete: 200 }`, plus `unchanged`. */
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    /** Why it was staged, e.g. `{ code: 'deletion_threshold', deletes: 240, provisioned: 1000, limit: … }`. */
    reason: jsonb('reason').$type<Record<string, unknown>>(),
    createdBy: uuid('created_by'),
    decidedBy: uuid('decided_by'),
    decidedAt: ts('decided_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [index('provisioning_plans_app_idx').on(t.applicationId, t.createdAt)],
);

/** One action of a kept plan, in plan order: the whole `PlanAction` (or group action) as JSON. */
export const provisioningPlanActions = pgTable(
  'provisioning_plan_actions',
  {
    planId: uuid('plan_id')
      .notNull()
      .references(() => provisioningPlans.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    /** `user` | `group` | `membership` */
    objectType: text('object_type').notNull(),
    directoryId: uuid('directory_id'),
    identity: text('identity'),
    /** The action kind: create | update | link | suspend | unsuspend | delete | deprovision-suspend | skip | add_member | … */
    action: text('action').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.seq] }), index('provisioning_plan_actions_action_idx').on(t.planId, t.action)],
);

/** Directory group member ↔ target group membership, for the groups the engine provisions. */
export const membershipLinks = pgTable(
  'membership_links',
  {
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    /** The directory group (its target group is the `links` row of object type `group`). */
    groupId: uuid('group_id').notNull(),
    /** The directory user (their target user is the `links` row of object type `user`). */
    userId: uuid('user_id').notNull(),
    targetMembershipId: text('target_membership_id').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.groupId, t.userId] }), index('membership_links_user_idx').on(t.applicationId, t.userId)],
);

/** Every failure notification Roster decided to send, and whether SMTP took it. */
export const provisioningNotifications = pgTable(
  'provisioning_notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    /** `quarantined` | `quarantine_lifted` | `staged_deletions` | `approval_required` | `credentials_expired` | `cycle_failed` */
    kind: text('kind').notNull(),
    recipient: text('recipient'),
    subject: text('subject').notNull(),
    /** `queued` (until the send job runs) | `sent` | `failed` | `not_configured` (no SMTP server, no address, or emails off); `error` says which */
    status: text('status').notNull(),
    error: text('error'),
    /** Times the email was handed to the SMTP server (a transient refusal is retried with backoff). */
    attempts: integer('attempts').notNull().default(0),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('provisioning_notifications_app_idx').on(t.applicationId, t.at)],
);

/** An import of the target's existing users into the directory (read → classify → confirm → apply). */
export const importSessions = pgTable(
  'import_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    /** `reading` | `classified` | `applying` | `applied` | `failed` | `cancelled` */
    status: text('status').notNull(),
    /** Items by category: new, update, activate, deactivate, conflict, unchanged; and applied/failed. */
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    /** `{ phase, total, done }` */
    progress: jsonb('progress').$type<Record<string, unknown>>().notNull().default({}),
    error: jsonb('error').$type<Record<string, unknown>>(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
    version: integer('version').notNull().default(1),
  },
  (t) => [index('import_sessions_app_idx').on(t.applicationId, t.createdAt)],
);

/** One target user of an import session, its category and, once confirmed, what was applied. */
export const importItems = pgTable(
  'import_items',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => importSessions.id, { onDelete: 'cascade' }),
    targetId: text('target_id').notNull(),
    /** `new` | `update` | `activate` | `deactivate` | `conflict` | `unchanged` */
    category: text('category').notNull(),
    directoryUserId: uuid('directory_user_id'),
    /** Email, else name: how lists show the item. */
    identity: text('identity').notNull(),
    /** The target user as read (normalised `TargetUser`). */
    target: jsonb('target').$type<Record<string, unknown>>().notNull(),
    /** Field-by-field differences: `[{ field, directory, target }]`. */
    differences: jsonb('differences').$type<{ field: string; directory: unknown; target: unknown }[]>().notNull().default([]),
    /** Conflicts: why, e.g. `no_email`, `several_target_users`, `email_owned_by_other_user`. */
    reasonCode: text('reason_code'),
    reason: text('reason'),
    /** Update users: which side wins, `target` or `directory` (chosen on confirm). */
    sourceProfile: text('source_profile'),
    /** `pending` (confirmed, not yet applied) | `applied` | `failed` | null (not confirmed) */
    applyStatus: text('apply_status'),
    applyError: jsonb('apply_error').$type<Record<string, unknown>>(),
    appliedAt: ts('applied_at'),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.targetId] }), index('import_items_category_idx').on(t.sessionId, t.category, t.identity)],
);
