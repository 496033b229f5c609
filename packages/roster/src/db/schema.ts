/**
 * The one database schema, PostgreSQL dialect, shared by PGlite (embedded) and PostgreSQL.
 * Every mutable row carries `version` for optimistic concurrency: a write names the version it
 * read, and a stale version is refused (409) instead of silently overwriting.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
};

// ---------------------------------------------------------------- admins and security

export const admins = pgTable(
  'admins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** `owner` (Organization Owner) or `admin` (Organization Admin). */
    role: text('role').notNull(),
    /** Finer permissions for role `admin`; an owner holds all of them implicitly. */
    permissions: jsonb('permissions').$type<string[]>().notNull().default([]),
    status: text('status').notNull().default('active'),
    /** Set for a one-time or admin-set password: the session may only change it until it does. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true, mode: 'date' }),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [uniqueIndex('admins_email_key').on(sql`lower(${t.email})`)],
);

export const adminSessions = pgTable(
  'admin_sessions',
  {
    /** sha256 of the session cookie value; the cookie itself is never stored. */
    idHash: text('id_hash').primaryKey(),
    adminId: uuid('admin_id')
      .notNull()
      .references(() => admins.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('admin_sessions_admin_idx').on(t.adminId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    adminId: uuid('admin_id')
      .notNull()
      .references(() => admins.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** sha256 of the token; the token is shown once at creation. */
    tokenHash: text('token_hash').notNull(),
    /** First characters of the token, so an admin can recognise it in a list. */
    prefix: text('prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('api_tokens_hash_key').on(t.tokenHash), index('api_tokens_admin_idx').on(t.adminId)],
);

/** Failed sign-ins per key (an email or a client address), for login throttling across processes. */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
});

/** Every admin action: who, what, when, before/after. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    actorId: uuid('actor_id'),
    actorEmail: text('actor_email'),
    /** `session`, `token`, `cli` (direct database) or `system`. */
    via: text('via').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_target_idx').on(t.targetType, t.targetId)],
);

// ---------------------------------------------------------------- directory

/** Custom attributes defined by the admin, each with a type; values live in `users.custom`. */
export const attributeDefinitions = pgTable('attribute_definitions', {
  id: uuid('id').primaryKey().defaultRandom(),
  key: text('key').notNull().unique(),
  label: text('label').notNull(),
  /** string | number | boolean | date | enum */
  type: text('type').notNull(),
  enumValues: jsonb('enum_values').$type<string[]>(),
  required: boolean('required').notNull().default(false),
  version: integer('version').notNull().default(1),
  ...timestamps,
});

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    givenName: text('given_name'),
    familyName: text('family_name'),
    displayName: text('display_name').notNull(),
    phone: text('phone'),
    mobile: text('mobile'),
    jobTitle: text('job_title'),
    department: text('department'),
    employeeId: text('employee_id'),
    managerId: uuid('manager_id'),
    locale: text('locale'),
    timeZone: text('time_zone'),
    organization: text('organization'),
    location: text('location'),
    custom: jsonb('custom').$type<Record<string, unknown>>().notNull().default({}),
    /** `active` | `inactive` */
    status: text('status').notNull().default('active'),
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`).where(sql`${t.deletedAt} is null`),
    uniqueIndex('users_employee_id_key').on(t.employeeId).where(sql`${t.deletedAt} is null and ${t.employeeId} is not null`),
    index('users_display_name_idx').on(sql`lower(${t.displayName})`, t.id),
    index('users_email_pattern_idx').on(sql`lower(${t.email}) text_pattern_ops`),
    // The Department filter ignores case (lower(department) = lower($1)).
    index('users_department_lower_idx').on(sql`lower(${t.department})`),
    index('users_manager_idx').on(t.managerId),
    index('users_created_idx').on(t.createdAt, t.id),
    // Prefix search (`like 'abc%'`) needs text_pattern_ops under a non-C collation; sort by email walks (lower(email), id).
    index('users_display_name_pattern_idx').on(sql`lower(${t.displayName}) text_pattern_ops`),
    index('users_given_name_pattern_idx').on(sql`lower(${t.givenName}) text_pattern_ops`),
    index('users_family_name_pattern_idx').on(sql`lower(${t.familyName}) text_pattern_ops`),
    index('users_employee_id_pattern_idx').on(sql`lower(${t.employeeId}) text_pattern_ops`),
    index('users_email_sort_idx').on(sql`lower(${t.email})`, t.id),
    // List filters that would otherwise walk the sort index past every non-match.
    index('users_job_title_idx').on(t.jobTitle),
    index('users_organization_idx').on(t.organization),
    index('users_location_idx').on(t.location),
    index('users_custom_idx').using('gin', sql`${t.custom} jsonb_path_ops`),
  ],
);

export const groups = pgTable(
  'groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description'),
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [uniqueIndex('groups_name_key').on(sql`lower(${t.name})`).where(sql`${t.deletedAt} is null`)],
);

/** Direct members of a group: users, or other groups (nesting without cycles). */
export const groupMembers = pgTable(
  'group_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    /** `user` | `group` */
    memberType: text('member_type').notNull(),
    memberId: uuid('member_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.memberType, t.memberId] }), index('group_members_member_idx').on(t.memberType, t.memberId)],
);

/** A connected target account, e.g. "Helpdesk – Support team" = the account its settings name. */
export const applications = pgTable('applications', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Gallery entry key: the connector type. */
  type: text('type').notNull(),
  displayName: text('display_name').notNull(),
  /** Non-secret settings of the gallery entry, e.g. `{ subdomain }`. */
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
  version: integer('version').notNull().default(1),
  ...timestamps,
});

/** A user or group assigned to an application with an app role (`default-access` = not provisioned). */
export const assignments = pgTable(
  'assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    /** `user` | `group` */
    principalType: text('principal_type').notNull(),
    principalId: uuid('principal_id').notNull(),
    /** The app role key, e.g. `end-user`, `agent`, `admin`, `custom:360001`, `default-access`. */
    role: text('role').notNull(),
    roleLabel: text('role_label').notNull(),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('assignments_principal_key').on(t.applicationId, t.principalType, t.principalId),
    index('assignments_principal_idx').on(t.principalType, t.principalId),
  ],
);

/**
 * One row per directory change, written in the same transaction as the change; the provisioning
 * engine reads it in id order.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** `user` | `group` | `group_member` | `application` | `assignment` | `attribute` */
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    /** `created` | `updated` | `deleted` | `activated` | `deactivated` | `added` | `removed` */
    op: text('op').notNull(),
    /** Names of the changed fields, and any ids the consumer needs (group id, app id). */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    /**
     * The writing transaction's id (`pg_current_xact_id()`, 64-bit, never wraps). The relay reads rows
     * in (xact_id, id) order, only from transactions older than its snapshot's xmin (all finished), so a
     * late commit is never skipped and a rollback never waited on (provisioning/triggers/outbox-relay.ts).
     */
    xactId: bigint('xact_id', { mode: 'number' }).notNull().default(sql`(pg_current_xact_id()::text)::bigint`),
  },
  (t) => [index('outbox_entity_idx').on(t.entityType, t.entityId), index('outbox_xact_idx').on(t.xactId, t.id)],
);

/** A CSV or JSON bulk import: its options, progress and per-row errors. */
export const importRuns = pgTable('import_runs', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** `csv` | `json` */
  source: text('source').notNull(),
  /** `users` | `memberships` */
  kind: text('kind').notNull(),
  dryRun: boolean('dry_run').notNull(),
  /** `running` | `completed` | `failed` | `interrupted` (its process stopped before the end) */
  status: text('status').notNull(),
  actorId: uuid('actor_id'),
  /** While running: the counts as of the last committed batch. */
  counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
  errors: jsonb('errors').$type<{ row: number; field?: string; reason: string }[]>().notNull().default([]),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  /** When the running import last committed a batch (or read one, in a dry run): how a stopped process is told from a slow one. */
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
});

/** Small key/value settings that belong to the installation (e.g. whether the owner was created). */
export const systemSettings = pgTable('system_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
