/**
 * The shape of a directory user as the API and the services speak it: the built-in fields, the
 * input schemas (create and partial update) and the view returned to callers.
 */
import { z } from 'zod';
import type { users } from '../../db/schema.ts';
import { plainText } from '../text.ts';

/** Built-in text fields a caller may set; custom attribute keys must not reuse these names. */
export const userTextFields = [
  'givenName',
  'familyName',
  'displayName',
  'phone',
  'mobile',
  'jobTitle',
  'department',
  'employeeId',
  'locale',
  'timeZone',
  'organization',
  'location',
] as const;
export type UserTextField = (typeof userTextFields)[number];

/** Every name a custom attribute key may not take (compared case-insensitively). */
export const reservedUserFieldNames: readonly string[] = [
  ...userTextFields,
  'id',
  'email',
  'managerId',
  'manager',
  'custom',
  'status',
  'version',
  'createdAt',
  'updatedAt',
  'deletedAt',
];

export const userStatuses = ['active', 'inactive'] as const;
export type UserStatus = (typeof userStatuses)[number];

/** Trimmed, validated email; stored as typed, compared lower-case. */
export const emailSchema = plainText()
  .trim()
  .max(320, 'must be at most 320 characters')
  .pipe(z.email('must be an email address'));

const text = (max: number) => plainText().trim().max(max, `must be at most ${max} characters`);
const optionalText = (max = 200) => text(max).nullable().optional();

export const customValuesSchema = z.record(plainText().max(63), z.unknown());

const fieldShape = {
  givenName: optionalText(),
  familyName: optionalText(),
  displayName: optionalText(400),
  phone: optionalText(50),
  mobile: optionalText(50),
  jobTitle: optionalText(),
  department: optionalText(),
  employeeId: optionalText(100),
  locale: optionalText(35),
  timeZone: optionalText(64),
  organization: optionalText(),
  location: optionalText(),
  managerId: z.uuid('must be a user id').nullable().optional(),
  custom: customValuesSchema.optional(),
};

export const createUserSchema = z.strictObject({
  email: emailSchema,
  ...fieldShape,
  status: z.enum(userStatuses).optional(),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

/** A partial update; `custom` merges key by key, a `null` value removes that key. */
export const updateUserSchema = z.strictObject({
  email: emailSchema.optional(),
  ...fieldShape,
  version: z.number().int().positive().optional(),
});
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export const userViewSchema = z.object({
  id: z.string(),
  email: z.string(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  displayName: z.string(),
  phone: z.string().nullable(),
  mobile: z.string().nullable(),
  jobTitle: z.string().nullable(),
  department: z.string().nullable(),
  employeeId: z.string().nullable(),
  managerId: z.string().nullable(),
  locale: z.string().nullable(),
  timeZone: z.string().nullable(),
  organization: z.string().nullable(),
  location: z.string().nullable(),
  custom: z.record(z.string(), z.unknown()),
  status: z.enum(userStatuses),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type UserView = z.infer<typeof userViewSchema>;

export type UserRow = typeof users.$inferSelect;

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    givenName: row.givenName,
    familyName: row.familyName,
    displayName: row.displayName,
    phone: row.phone,
    mobile: row.mobile,
    jobTitle: row.jobTitle,
    department: row.department,
    employeeId: row.employeeId,
    managerId: row.managerId,
    locale: row.locale,
    timeZone: row.timeZone,
    organization: row.organization,
    location: row.location,
    custom: row.custom,
    status: row.status === 'inactive' ? 'inactive' : 'active',
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** "given family" when no display name is given; the email when there are no name parts either. */
export function defaultDisplayName(given: string | null | undefined, family: string | null | undefined, email: string): string {
  const joined = [given, family].filter((p) => p && p.length > 0).join(' ');
  return joined.length > 0 ? joined : email;
}

/** Empty strings mean "no value": stored as null. */
export const blankToNull = (v: string | null | undefined): string | null => (v === undefined || v === null || v === '' ? null : v);
