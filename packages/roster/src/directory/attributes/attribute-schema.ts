/** Custom attribute definitions: their input schemas and the view returned by the API. */
import { z } from 'zod';
import type { attributeDefinitions } from '../../db/schema.ts';
import { plainText } from '../text.ts';
import { reservedUserFieldNames } from '../users/user-fields.ts';

export const attributeTypes = ['string', 'number', 'boolean', 'date', 'enum'] as const;
export type AttributeType = (typeof attributeTypes)[number];

const reserved = new Set(reservedUserFieldNames.map((n) => n.toLowerCase()));

export const attributeKeySchema = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9_]{0,62}$/, 'must start with a lower-case letter, then letters, digits or _ (at most 63)')
  .refine((k) => !reserved.has(k.toLowerCase()), 'is the name of a built-in user field');

const enumValuesSchema = z.array(plainText().trim().min(1, 'must not be empty').max(200)).min(1, 'must list at least one value').max(500);

export const createAttributeSchema = z
  .strictObject({
    key: attributeKeySchema,
    label: plainText().trim().min(1, 'must not be empty').max(200),
    type: z.enum(attributeTypes),
    enumValues: enumValuesSchema.optional(),
    required: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.type === 'enum' && !v.enumValues) ctx.addIssue({ code: 'custom', path: ['enumValues'], message: 'is required for type enum' });
    if (v.type !== 'enum' && v.enumValues) ctx.addIssue({ code: 'custom', path: ['enumValues'], message: 'is only allowed for type enum' });
  });
export type CreateAttributeInput = z.infer<typeof createAttributeSchema>;

/** Key and type are fixed once created: values already stored depend on them. */
export const updateAttributeSchema = z.strictObject({
  label: plainText().trim().min(1, 'must not be empty').max(200).optional(),
  enumValues: enumValuesSchema.optional(),
  required: z.boolean().optional(),
  version: z.number().int().positive().optional(),
});
export type UpdateAttributeInput = z.infer<typeof updateAttributeSchema>;

export type AttributeRow = typeof attributeDefinitions.$inferSelect;

export const attributeViewSchema = z.object({
  id: z.string(),
  key: z.string(),
  label: z.string(),
  type: z.enum(attributeTypes),
  enumValues: z.array(z.string()).nullable(),
  required: z.boolean(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AttributeView = z.infer<typeof attributeViewSchema>;

export const toAttributeView = (row: AttributeRow): AttributeView => ({
  id: row.id,
  key: row.key,
  label: row.label,
  type: row.type as AttributeType,
  enumValues: row.enumValues ?? null,
  required: row.required,
  version: row.version,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});
