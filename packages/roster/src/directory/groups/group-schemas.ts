/** The shapes of groups and memberships at the API boundary: inputs parsed once, outputs documented. */
import { z } from 'zod';
import { plainText } from '../text.ts';

export const MAX_MEMBERS_PER_CALL = 1000;


const name = plainText().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const description = plainText().trim().max(2000, 'must be at most 2000 characters').nullable();

export const createGroupSchema = z.strictObject({ name, description: description.optional() });
export type CreateGroupInput = z.infer<typeof createGroupSchema>;

export const updateGroupSchema = z.strictObject({
  name: name.optional(),
  description: description.optional(),
  /** Or send If-Match. */
  version: z.number().int().positive().optional(),
});
export type UpdateGroupInput = z.infer<typeof updateGroupSchema>;

export const memberTypeSchema = z.enum(['user', 'group']);
export type MemberType = z.infer<typeof memberTypeSchema>;

export const memberRefSchema = z.strictObject({ memberType: memberTypeSchema, memberId: z.uuid() });
export type MemberRef = z.infer<typeof memberRefSchema>;

export const addMembersSchema = z.strictObject({
  members: z.array(memberRefSchema).min(1, 'must name at least one member').max(MAX_MEMBERS_PER_CALL, `must name at most ${MAX_MEMBERS_PER_CALL} members`),
});

export const groupSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  memberCounts: z.object({ users: z.number(), groups: z.number() }),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Group = z.infer<typeof groupSchema>;

export const memberSchema = z.object({
  memberType: memberTypeSchema,
  memberId: z.string(),
  /** A user's display name or a group's name. */
  name: z.string(),
  /** A user's email; null for a group. */
  email: z.string().nullable(),
  /** For a user: `active` or `inactive`; null for a group. */
  status: z.string().nullable(),
  /** When the membership was made; null in a transitive listing. */
  addedAt: z.string().nullable(),
});
export type Member = z.infer<typeof memberSchema>;
