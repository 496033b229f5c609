import { z } from 'zod';
import { problems, type ApiProblem } from '../http/errors.ts';

const text = z.string().nullable().optional();
const flag = z.boolean().optional();
/** Zendesk takes numeric ids as numbers or numeric strings. */
const idLike = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

/**
 * The writable user attributes (API-NOTES §2). Unknown keys are accepted (and reported in
 * `x-zendesk-api-warn`), so the object is loose; wrong types are a 400 "Invalid attribute".
 */
export const userInputSchema = z.looseObject({
  name: text,
  email: text,
  role: z.string().optional(),
  custom_role_id: idLike.nullable().optional(),
  external_id: z.union([z.string(), z.number().transform(String)]).nullable().optional(),
  phone: text,
  alias: text,
  details: text,
  notes: text,
  signature: text,
  time_zone: z.string().optional(),
  locale: z.string().optional(),
  locale_id: z.number().int().optional(),
  organization_id: idLike.nullable().optional(),
  organization: z.looseObject({ name: z.string() }).optional(),
  tags: z.array(z.string()).optional(),
  suspended: flag,
  verified: flag,
  skip_verify_email: flag,
  identities: z.array(z.looseObject({ type: z.string(), value: z.string() })).optional(),
  ticket_restriction: z.string().nullable().optional(),
  only_private_comments: flag,
  moderator: flag,
  shared_phone_number: z.boolean().nullable().optional(),
  user_fields: z.record(z.string(), z.unknown()).optional(),
  default_group_id: idLike.nullable().optional(),
  remote_photo_url: text,
  agent_brand_ids: z.array(z.number()).optional(),
  photo: z.unknown().optional(),
});
export type UserInput = z.infer<typeof userInputSchema>;

const KNOWN_KEYS = new Set(Object.keys(userInputSchema.shape));
/** Keys that identify a user in batch bodies (`users:[{id,…}]`) rather than change it. */
const LOCATOR_KEYS = new Set(['id']);

export type ParsedUserInput =
  | { ok: true; input: UserInput; unknownKeys: string[] }
  | { ok: false; problem: ApiProblem };

/** Validates one `user` object; `path` names it in errors and warnings (`user`, `users.3`). */
export function parseUserInput(raw: unknown, path: string, allowId = false): ParsedUserInput {
  const parsed = userInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = [path, ...(issue?.path ?? []).map(String)].join('.');
    return {
      ok: false,
      problem: problems.invalidAttribute(
        `You passed an invalid value for the ${where} attribute. ${issue?.message ?? 'Invalid value'}`,
      ),
    };
  }
  const unknownKeys = Object.keys(parsed.data)
    .filter((k) => !KNOWN_KEYS.has(k) && !(allowId && LOCATOR_KEYS.has(k)))
    .map((k) => `${path}.${k}`);
  return { ok: true, input: parsed.data, unknownKeys };
}

/** Reads `body[key]` as an object, or answers 400 like Zendesk for a missing wrapper. */
export function wrapped(body: unknown, key: string): { ok: true; value: unknown } | { ok: false; problem: ApiProblem } {
  if (typeof body !== 'object' || body === null || !(key in body)) {
    return { ok: false, problem: problems.badRequest(`Parameter ${key} is required`) };
  }
  return { ok: true, value: (body as Record<string, unknown>)[key] };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}
