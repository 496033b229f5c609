/**
 * The Zendesk gallery entry. A Zendesk account is named by its subdomain: `spencer-4609` for
 * https://spencer-4609.zendesk.com. A pasted account address (`https://acme.zendesk.com/agent`,
 * `acme.zendesk.com`) is normalised to its subdomain; any other host is refused with a reason.
 * Roles: https://support.zendesk.com/hc/en-us/articles/4408883763866 (end user, agent, admin; custom
 * agent roles on Enterprise plans, read from the account by the connector).
 */
import { z } from 'zod';
import { type AppRole, DEFAULT_ACCESS, checkRoleKey, roleRank } from '../app-roles.ts';
import type { GalleryDefinition } from '../target-facts.ts';

export const zendeskSubdomainPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

const zendeskHost = /^(?:https?:\/\/)?([^/.:?#]+)\.zendesk\.com(?::\d+)?(?:[/?#].*)?$/;

const subdomainRule = 'lower-case letters, digits and hyphens, starting with a letter or digit, at most 63 characters';

/** `Acme`, `acme.zendesk.com` and `https://acme.zendesk.com/agent` all become `acme`. */
export function normaliseZendeskSubdomain(input: string): string {
  const value = input.trim().toLowerCase();
  return zendeskHost.exec(value)?.[1] ?? value;
}

export const zendeskSettingsSchema = z.strictObject({
  subdomain: z
    .string()
    .max(300)
    .transform((value, ctx) => {
      const subdomain = normaliseZendeskSubdomain(value);
      if (zendeskSubdomainPattern.test(subdomain)) return subdomain;
      const looksLikeAddress = /[./:]/.test(subdomain);
      ctx.addIssue({
        code: 'custom',
        message: looksLikeAddress
          ? 'is not a Zendesk address; give the subdomain, e.g. spencer-4609 for https://spencer-4609.zendesk.com'
          : `must be the Zendesk subdomain (${subdomainRule}), e.g. spencer-4609 for https://spencer-4609.zendesk.com`,
      });
      return z.NEVER;
    }),
});

export type ZendeskSettings = z.infer<typeof zendeskSettingsSchema>;

const zendeskRoles: readonly AppRole[] = [
  DEFAULT_ACCESS,
  { key: 'end-user', label: 'End user', description: 'Can submit and follow their own tickets.' },
  { key: 'agent', label: 'Agent', description: 'Works on tickets; can belong to agent groups.' },
  { key: 'admin', label: 'Admin', description: 'Full administration of the Zendesk account.' },
];

const logo =
  'data:image/svg+xml;utf8,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#03363d"/>' +
      '<path d="M14 24h16L14 44z" fill="#fff"/><path d="M34 44h16L34 24z" fill="#fff"/>' +
      '<path d="M14 20a8 8 0 0 0 16 0z" fill="#fff"/><path d="M34 48a8 8 0 0 1 16 0z" fill="#fff"/></svg>',
  );

/** Where a Zendesk account lives; `ROSTER_ZENDESK_URL` (or the embedded sandbox) replaces it for the process. */
export const ZENDESK_URL_TEMPLATE = 'https://{subdomain}.zendesk.com';

export const zendeskGalleryEntry: GalleryDefinition<ZendeskSettings> = {
  key: 'zendesk',
  name: 'Zendesk',
  description: 'Customer service software. Roster creates, updates, suspends and deletes Zendesk users and keeps agent groups in step.',
  logo,
  docsUrl: 'https://developer.zendesk.com/api-reference/ticketing/users/users/',
  settingFields: [
    {
      key: 'subdomain',
      label: 'Zendesk subdomain',
      description: 'The part before .zendesk.com in your account address; a pasted address is accepted and shortened.',
      example: 'spencer-4609',
      pattern: zendeskSubdomainPattern.source,
      required: true,
    },
  ],
  settingsSchema: zendeskSettingsSchema,
  identityKey: (s) => s.subdomain,
  identityField: 'subdomain',
  targetUrl: (s, urlTemplate) => (urlTemplate ?? ZENDESK_URL_TEMPLATE).replaceAll('{subdomain}', s.subdomain).replace(/\/+$/, ''),
  roles: zendeskRoles,
  checkRole: (key, customRoles, customLabel) => checkRoleKey(key, zendeskRoles, customRoles, customLabel),
  roleRank,
  customRolePattern: '^custom:\\d+$',
};
