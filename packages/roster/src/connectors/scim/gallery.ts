/**
 * The "SCIM 2.0 application" gallery entry: any app with a SCIM 2.0 service provider (RFC 7643,
 * RFC 7644). The app is named by its SCIM base URL (the path before `/Users`), which is also the
 * account key: two applications may not provision the same SCIM service.
 * Roles: SCIM core has no role model; `user` writes no `roles`, `role:<value>` writes that value.
 */
import { z } from 'zod';
import { type AppRole, type RoleCheck, DEFAULT_ACCESS } from '../app-roles.ts';
import type { GalleryDefinition } from '../target-facts.ts';
import { ROLE_PREFIX, ROLE_USER } from './catalog.ts';

/** Where a SCIM app lives: its base URL as given; a process may wrap it (`TargetUrls.scim`, `{baseUrl}` replaced). */
export const SCIM_URL_TEMPLATE = '{baseUrl}';

const baseUrlPattern = /^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/;

/** `HTTPS://App.example.com/scim/v2/` becomes `https://app.example.com/scim/v2`: scheme and host lower-cased, no trailing slash, no query. */
export function normaliseScimBaseUrl(input: string): string {
  const value = input.trim().replace(/\/+$/, '');
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]+)(.*)$/i.exec(value);
  return m ? `${m[1]!.toLowerCase()}${m[2]}` : value;
}

/** The form sends every setting; an optional one left empty is absent. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

export const scimSettingsSchema = z.strictObject({
  baseUrl: z
    .string()
    .max(2000)
    .transform((value, ctx) => {
      const url = normaliseScimBaseUrl(value);
      if (baseUrlPattern.test(url)) return url;
      ctx.addIssue({ code: 'custom', message: "must be the app's SCIM base URL (http or https, no query), e.g. https://app.example.com/scim/v2" });
      return z.NEVER;
    }),
  /** How a search by email is written (config.ts `emailFilter`); absent: `emails[value]`. */
  emailFilter: optional(z.enum(['emails[value]', 'emails.value', 'userName'], { error: 'must be emails[value], emails.value or userName' })),
  /** The values the app accepts in a user's `roles`, comma-separated (each offered as role `role:<value>`). */
  roleValues: optional(
    z
      .string()
      .max(2000)
      .refine((v) => !v.includes('\u0000'), 'must not contain NUL characters'),
  ),
});

export type ScimSettings = z.infer<typeof scimSettingsSchema>;

const scimRoles: readonly AppRole[] = [DEFAULT_ACCESS, { key: ROLE_USER, label: 'User', description: 'An account without a SCIM roles value: the app decides its rights.' }];

const roleValuePattern = /^role:\S.{0,199}$/;

/** `role:<value>` keys are accepted by shape until the connection has read the app's role values. */
export function checkScimRole(key: string, customRoles?: readonly AppRole[], customLabel?: string): RoleCheck {
  const known = scimRoles.find((r) => r.key === key) ?? customRoles?.find((r) => r.key === key);
  if (known) return { ok: true, role: known };
  if (roleValuePattern.test(key) && customRoles === undefined) return { ok: true, role: { key, label: customLabel ?? key.slice(ROLE_PREFIX.length) } };
  return { ok: false, reason: `is not a role this application offers (${[...scimRoles, ...(customRoles ?? [])].map((r) => r.key).join(', ')}, or role:<value> for a value the app accepts)` };
}

const logo =
  'data:image/svg+xml;utf8,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#2f4f8f"/>' +
      '<text x="32" y="40" font-family="sans-serif" font-size="18" font-weight="700" fill="#fff" text-anchor="middle">SCIM</text></svg>',
  );

export const scimGalleryEntry: GalleryDefinition<ScimSettings> = {
  key: 'scim',
  name: 'SCIM 2.0 application',
  description: 'Any app with a SCIM 2.0 endpoint (RFC 7643/7644). Roster creates, updates, deactivates and deletes its users and keeps its groups in step, using what the app advertises (PATCH, bulk, filters).',
  logo,
  // The setup steps in this repository (the app's own SCIM documentation varies by vendor).
  docsUrl: 'docs/scim.md',
  settingFields: [
    {
      key: 'baseUrl',
      label: 'SCIM base URL',
      description: "The app's SCIM 2.0 endpoint, the address before /Users (the app's provisioning settings show it).",
      example: 'https://app.example.com/scim/v2',
      pattern: baseUrlPattern.source,
      required: true,
    },
    {
      key: 'roleValues',
      label: 'Role values',
      description: "The values the app accepts in a user's roles, comma-separated; each becomes a role you can assign (values the app lists itself are offered too).",
      example: 'admin, member',
      pattern: '^.*$',
      required: false,
    },
    {
      key: 'emailFilter',
      label: 'Email search',
      description: 'How Roster searches the app by email: emails[value] (default), emails.value for apps without the bracket form, or userName for apps whose user name is the email.',
      example: 'emails[value]',
      pattern: '^(emails\\[value\\]|emails\\.value|userName)?$',
      required: false,
    },
  ],
  settingsSchema: scimSettingsSchema,
  identityKey: (s) => s.baseUrl.toLowerCase(),
  identityField: 'baseUrl',
  targetUrl: (s, urlTemplate) => (urlTemplate ?? SCIM_URL_TEMPLATE).replaceAll('{baseUrl}', s.baseUrl).replace(/\/+$/, ''),
  roles: scimRoles,
  checkRole: checkScimRole,
  // One role per account: a roles value outranks the plain user.
  roleRank: (key) => (key.startsWith(ROLE_PREFIX) ? 20 : key === ROLE_USER ? 10 : 0),
  customRolePattern: '^role:\\S.*$',
};
