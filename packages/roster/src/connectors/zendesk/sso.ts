/**
 * Zendesk's side of single sign-on, as its help center describes it ("Enabling SAML single sign-on",
 * https://support.zendesk.com/hc/en-us/articles/4408887505690, and "Enabling JWT single sign-on",
 * https://support.zendesk.com/hc/en-us/articles/4408845838874): where sign-ins go, the audience, the
 * SAML attribute names and the JWT claims. The IdP engine (src/sso) reads these; it names no target.
 */
import type { SamlAttribute, SsoDefinition, SsoEndpoints, SsoSubject } from '../contract.ts';
import { zendeskBaseUrl } from './config.ts';

const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const SUBDOMAIN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** `custom:123` → Zendesk's role `agent` with `custom_role_id` 123 (custom roles are agent roles). */
function zendeskRole(roleKey: string): { role: string; customRoleId: string | null } {
  if (roleKey.startsWith('custom:')) return { role: 'agent', customRoleId: roleKey.slice('custom:'.length) };
  return { role: roleKey === 'agent' || roleKey === 'admin' ? roleKey : 'end-user', customRoleId: null };
}

const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : Array.isArray(v) ? v.join(' ') : String(v));

/**
 * Given name and surname that make exactly the provisioned `name`: the directory's parts when they
 * join to it, else the whole name as the given name (so SSO and provisioning never disagree).
 */
function nameParts(subject: SsoSubject): { given: string | null; sur: string | null } {
  const name = text(subject.attributes['name']);
  if (name === null) return { given: subject.givenName, sur: subject.familyName };
  if (subject.givenName && subject.familyName && `${subject.givenName} ${subject.familyName}` === name) return { given: subject.givenName, sur: subject.familyName };
  return { given: name, sur: null };
}

function emailOf(subject: SsoSubject): string {
  return text(subject.attributes['email']) ?? subject.email;
}

export const zendeskSso: SsoDefinition = {
  methods: ['saml', 'jwt'],

  endpoints(settings, urlTemplate): SsoEndpoints | null {
    const subdomain = settings['subdomain'];
    if (typeof subdomain !== 'string' || !SUBDOMAIN.test(subdomain)) return null;
    const baseUrl = zendeskBaseUrl({ baseUrlTemplate: urlTemplate, subdomain });
    return {
      baseUrl,
      acsUrl: `${baseUrl}/access/saml`,
      // Zendesk's SP entity id, as Entra's Zendesk tutorial names the Identifier; the same with the sandbox.
      audience: `${subdomain}.zendesk.com`,
      jwtUrl: `${baseUrl}/access/jwt`,
      jwtFields: { token: 'jwt', returnTo: 'return_to' },
    };
  },

  samlAssertion(subject) {
    const a = subject.attributes;
    const { role, customRoleId } = zendeskRole(subject.roleKey);
    const { given, sur } = nameParts(subject);
    const attributes: SamlAttribute[] = [];
    const add = (name: string, value: unknown) => {
      const v = text(value);
      if (v !== null) attributes.push({ name, values: [v] });
    };
    add(`${CLAIMS}/givenname`, given);
    add(`${CLAIMS}/surname`, sur);
    add('external_id', subject.externalId);
    add('organization', a['organization']);
    add('phone', a['phone']);
    add('tags', a['tags']);
    add('locale', a['locale']);
    add('role', role);
    add('custom_role_id', customRoleId);
    for (const [key, value] of Object.entries(a)) if (key.startsWith('user_fields.')) add(`user_field_${key.slice('user_fields.'.length)}`, value);
    return { nameId: emailOf(subject), nameIdFormat: EMAIL_FORMAT, attributes };
  },

  jwtClaims(subject) {
    const a = subject.attributes;
    const { role, customRoleId } = zendeskRole(subject.roleKey);
    const claims: Record<string, unknown> = { name: text(a['name']) ?? emailOf(subject), email: emailOf(subject), external_id: subject.externalId, role };
    if (customRoleId !== null) claims['custom_role_id'] = customRoleId;
    if (text(a['organization']) !== null) claims['organization'] = text(a['organization']);
    if (text(a['phone']) !== null) claims['phone'] = text(a['phone']);
    if (Array.isArray(a['tags']) && a['tags'].length > 0) claims['tags'] = a['tags'];
    // Zendesk's `locale_id` is its numeric locale id; a locale name such as `en-US` cannot go there.
    if (typeof a['locale_id'] === 'number') claims['locale_id'] = a['locale_id'];
    const userFields = Object.fromEntries(Object.entries(a).filter(([k, v]) => k.startsWith('user_fields.') && v !== null).map(([k, v]) => [k.slice('user_fields.'.length), v]));
    if (Object.keys(userFields).length > 0) claims['user_fields'] = userFields;
    return claims;
  },

  isOwnUrl(endpoints, url) {
    let u: URL;
    let base: URL;
    try {
      u = new URL(url);
      base = new URL(endpoints.baseUrl);
    } catch {
      return false;
    }
    if (u.origin !== base.origin || u.username !== '' || u.password !== '') return false;
    // With the sandbox the account lives under a path prefix: another account's pages are not its own.
    const prefix = base.pathname.replace(/\/+$/, '');
    return prefix === '' || u.pathname === prefix || u.pathname.startsWith(`${prefix}/`);
  },
};
