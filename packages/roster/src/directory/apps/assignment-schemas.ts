/** The shapes of assignments at the API boundary. Role keys are checked against the gallery entry. */
import { z } from 'zod';
import { plainText } from '../text.ts';

export const MAX_ASSIGNMENTS_PER_CALL = 1000;

export const principalTypeSchema = z.enum(['user', 'group']);
export type PrincipalType = z.infer<typeof principalTypeSchema>;

const role = z.string().max(100, 'must be at most 100 characters').describe('An app role key: default-access, end-user, agent, admin or custom:<id>');
/** Only used for custom roles (`custom:<id>`), whose labels come from the target; other roles have fixed labels. */
const roleLabel = plainText().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional();

export const createAssignmentSchema = z.strictObject({ principalType: principalTypeSchema, principalId: z.uuid(), role, roleLabel });
export type CreateAssignmentInput = z.infer<typeof createAssignmentSchema>;

export const bulkAssignSchema = z.strictObject({
  assignments: z
    .array(createAssignmentSchema)
    .min(1, 'must name at least one assignment')
    .max(MAX_ASSIGNMENTS_PER_CALL, `must name at most ${MAX_ASSIGNMENTS_PER_CALL} assignments`),
});

export const updateAssignmentSchema = z.strictObject({
  role,
  roleLabel,
  /** Or send If-Match. */
  version: z.number().int().positive().optional(),
});

export const assignmentSchema = z.object({
  id: z.string(),
  applicationId: z.string(),
  principalType: principalTypeSchema,
  principalId: z.string(),
  /** The user's display name or the group's name. */
  principalName: z.string(),
  /** The user's email; null for a group. */
  principalEmail: z.string().nullable(),
  role: z.string(),
  roleLabel: z.string(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Assignment = z.infer<typeof assignmentSchema>;

export const bulkAssignResultSchema = z.object({
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  items: z.array(z.object({ id: z.string(), principalType: principalTypeSchema, principalId: z.string(), role: z.string(), result: z.enum(['created', 'updated', 'unchanged']) })),
});
export type BulkAssignResult = z.infer<typeof bulkAssignResultSchema>;
