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
});
export type ProvisioningSettingsPatch = z.infer<typeof provisioningSettingsPatchSchema>;

/** The settings with `patch` applied (not yet validated against the target). */
export function applySettingsPatch(current: ProvisioningSettings, patch: ProvisioningSettingsPatch): ProvisioningSettings {
  const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const { syncActions, ...rest } = patch;
  return { ...current, ...defined(rest), syncActions: { ...current.syncActions, ...(syncActions ? defined(syncActions) : {}) } } as ProvisioningSettings;
}
