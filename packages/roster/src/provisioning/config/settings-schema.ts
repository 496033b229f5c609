/**
 * The provisioning settings of one application, as stored in `provisioning_configs.settings` and
 * accepted by the API. Connection credentials are not here (see connection-schema.ts).
 */
import { z } from 'zod';

/** Text PostgreSQL can store: it refuses NUL characters, which must be a 400, not a 500. */
export const storableText = (min: number, max: number) =>
  z.string().min(min).max(max).refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

/** Where a target field's value comes from. */
export const mappingSourceSchema = z.discriminatedUnion('kind', [
  /** A directory attribute: a built-in user field (`email`, `givenName`, …), `id`, or `custom.<key>`. */
  z.strictObject({ kind: z.literal('attribute'), attribute: storableText(1, 100) }),
  /** A hardcoded value. */
  z.strictObject({ kind: z.literal('constant'), value: z.union([storableText(0, 10_000), z.number(), z.boolean(), z.null()]) }),
  /** An expression of the mapping language, e.g. `Join(" ", [givenName], [familyName])`. */
  z.strictObject({ kind: z.literal('expression'), expression: storableText(1, 2_000) }),
]);
export type MappingSource = z.infer<typeof mappingSourceSchema>;

export const fieldMappingSchema = z.strictObject({
  /** A `TargetField.key` of the connector, e.g. `name`, `email`, `external_id`, `user_fields.plan`. */
  target: storableText(1, 200),
  source: mappingSourceSchema,
  /** `always`, or `on_create` (written when the account is created, then left alone). */
  apply: z.enum(['always', 'on_create']).default('always'),
});
export type FieldMapping = z.infer<typeof fieldMappingSchema>;

export const syncActionsSchema = z.strictObject({
  /** Assigning a user creates the target account. */
  create: z.boolean().default(true),
  /** Changes to mapped fields are pushed. */
  update: z.boolean().default(true),
  /** Unassigning a user removes the target account (see `deprovision`). */
  delete: z.boolean().default(true),
  /** Directory inactive → suspended; reactivated → unsuspended. */
  activateDeactivate: z.boolean().default(true),
  /** What "remove" means: soft-delete the account, or only suspend it. */
  deprovision: z.enum(['delete', 'suspend']).default('delete'),
});
export type SyncActions = z.infer<typeof syncActionsSchema>;

/**
 * Scoping filter operators (the Entra names, lower-cased); what each means is in
 * provisioning/scoping/clause-operators.ts. `in_group` / `not_in_group` take a directory group id as
 * `value` and count nested membership.
 */
export const scopingOperators = [
  'equals',
  'not_equals',
  'is_true',
  'is_false',
  'is_null',
  'is_not_null',
  'regex_match',
  'not_regex_match',
  'includes',
  'ends_with',
  'greater_than',
  'greater_than_or_equals',
  'in_group',
  'not_in_group',
] as const;
export type ScopingOperator = (typeof scopingOperators)[number];

/** One clause: `attribute operator value`. Unary operators (is_true, is_null, …) take no value. */
export const scopingClauseSchema = z.strictObject({
  /** A directory attribute, as in mappings (`department`, `custom.costCenter`, `status`); `groups` for group membership. */
  attribute: storableText(1, 100),
  operator: z.enum(scopingOperators),
  value: z.union([storableText(0, 1_000), z.number(), z.boolean()]).nullable().default(null),
});
export type ScopingClause = z.infer<typeof scopingClauseSchema>;

/** Clauses are AND-ed inside a filter; filters are OR-ed. No filter: every user in scope passes. */
export const scopingFilterSchema = z.strictObject({
  name: storableText(0, 100).default(''),
  clauses: z.array(scopingClauseSchema).min(1).max(20),
});
export type ScopingFilter = z.infer<typeof scopingFilterSchema>;

export const groupSyncActionsSchema = z.strictObject({
  /** A directory group assigned to the application is created as a target group. */
  create: z.boolean().default(true),
  /** Renaming the directory group renames the target group. */
  update: z.boolean().default(true),
  /** Unassigning (or deleting) the directory group deletes the target group. */
  delete: z.boolean().default(true),
});
export type GroupSyncActions = z.infer<typeof groupSyncActionsSchema>;

/**
 * Accidental deletion prevention: a cycle (or a burst of incremental changes) whose suspends and
 * deletes pass either limit is staged for an admin to allow or discard.
 */
export const deletionThresholdSchema = z
  .strictObject({
    /** Off: only a plan that would remove every provisioned user is still staged. */
    enabled: z.boolean().default(true),
    /** At most this many suspends + deletes at once. */
    count: z
      .number({ error: 'must be a whole number of suspends and deletes, or null for no count limit' })
      .int('must be a whole number of suspends and deletes')
      .min(1, 'must be at least 1 (to switch the threshold off, set enabled to false)')
      .max(1_000_000, 'must be at most 1000000')
      .nullable()
      .default(500),
    /** At most this share of the provisioned users at once (percent). */
    percent: z
      .number({ error: 'must be a percentage of the provisioned users (1 to 100), or null for no percentage limit' })
      .min(1, 'must be at least 1 percent (to switch the threshold off, set enabled to false)')
      .max(100, 'must be at most 100 percent')
      .nullable()
      .default(null),
  })
  .refine((t) => !t.enabled || t.count !== null || t.percent !== null, { path: ['count'], message: 'set count or percent (or both) while the threshold is enabled, or set enabled to false' });
export type DeletionThreshold = z.infer<typeof deletionThresholdSchema>;

export const provisioningSettingsSchema = z.strictObject({
  mappings: z.array(fieldMappingSchema).max(200).default([]),
  /** Target field keys tried in order to find an existing account before creating one. */
  matching: z.array(storableText(1, 200)).min(1).max(5).default(['external_id', 'email']),
  syncActions: syncActionsSchema.default(syncActionsSchema.parse({})),
  /** `assigned`: assigned users and groups only; `all`: every user and group of the directory. */
  scope: z.enum(['assigned', 'all']).default('assigned'),
  /** Periodic cycle interval (drift repair), minutes. */
  cycleIntervalMinutes: z.number().int().min(5).max(10_080).default(40),
  /** Where failure notifications go. */
  notificationEmail: z.email().nullable().default(null),
  sendFailureEmails: z.boolean().default(false),
  /** Push directory groups assigned to the application as target groups. */
  provisionGroups: z.boolean().default(true),
  groupSyncActions: groupSyncActionsSchema.default(groupSyncActionsSchema.parse({})),
  scopingFilters: z.array(scopingFilterSchema).max(20).default([]),
  deletionThreshold: deletionThresholdSchema.default(deletionThresholdSchema.parse({})),
  /** Each full cycle's plan waits for an admin's approval before it is applied. */
  requireApproval: z.boolean().default(false),
  /** Managed fields changed by hand in the target: `repair` restores them, `report` only logs the drift. */
  drift: z.enum(['repair', 'report']).default('repair'),
});
export type ProvisioningSettings = z.infer<typeof provisioningSettingsSchema>;

export const defaultSettings = (): ProvisioningSettings => provisioningSettingsSchema.parse({});

const noDefault = <T extends z.ZodType>(schema: z.ZodDefault<T>) => schema.unwrap().optional();

/**
 * A change to the settings (`PATCH /api/apps/{id}/provisioning`): each key given replaces the stored
 * value, except `syncActions`, whose keys are merged. No defaults here, so an absent key stays as it is.
 */
export const provisioningSettingsPatchSchema = z.strictObject({
  mappings: noDefault(provisioningSettingsSchema.shape.mappings),
  matching: noDefault(provisioningSettingsSchema.shape.matching),
  syncActions: z
    .strictObject({
      create: noDefault(syncActionsSchema.shape.create),
      update: noDefault(syncActionsSchema.shape.update),
      delete: noDefault(syncActionsSchema.shape.delete),
      activateDeactivate: noDefault(syncActionsSchema.shape.activateDeactivate),
      deprovision: noDefault(syncActionsSchema.shape.deprovision),
    })
    .optional(),
  scope: noDefault(provisioningSettingsSchema.shape.scope),
  cycleIntervalMinutes: noDefault(provisioningSettingsSchema.shape.cycleIntervalMinutes),
  notificationEmail: noDefault(provisioningSettingsSchema.shape.notificationEmail),
  sendFailureEmails: noDefault(provisioningSettingsSchema.shape.sendFailureEmails),
  provisionGroups: noDefault(provisioningSettingsSchema.shape.provisionGroups),
  groupSyncActions: z
    .strictObject({
      create: noDefault(groupSyncActionsSchema.shape.create),
      update: noDefault(groupSyncActionsSchema.shape.update),
      delete: noDefault(groupSyncActionsSchema.shape.delete),
    })
    .optional(),
  scopingFilters: noDefault(provisioningSettingsSchema.shape.scopingFilters),
  deletionThreshold: noDefault(provisioningSettingsSchema.shape.deletionThreshold),
  requireApproval: noDefault(provisioningSettingsSchema.shape.requireApproval),
  drift: noDefault(provisioningSettingsSchema.shape.drift),
});
export type ProvisioningSettingsPatch = z.infer<typeof provisioningSettingsPatchSchema>;

/** The settings with `patch` applied (not yet validated against the target). */
export function applySettingsPatch(current: ProvisioningSettings, patch: ProvisioningSettingsPatch): ProvisioningSettings {
  const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const { syncActions, groupSyncActions, ...rest } = patch;
  return {
    ...current,
    ...defined(rest),
    syncActions: { ...current.syncActions, ...(syncActions ? defined(syncActions) : {}) },
    groupSyncActions: { ...current.groupSyncActions, ...(groupSyncActions ? defined(groupSyncActions) : {}) },
  } as ProvisioningSettings;
}
