import { describe, expect, it } from 'vitest';
import type { SsoSubject } from '../contract.ts';
import { zendeskSso } from './sso.ts';

const subject = (over: Partial<SsoSubject> = {}): SsoSubject => ({
  userId: 'u1',
  email: 'ada@example.com',
  givenName: 'Ada',
  familyName: 'Lovelace',
  attributes: { name: 'Ada Lovelace', email: 'ada@example.com', organization: 'Analytical', tags: ['vip', 'math'], locale: 'en-GB', 'user_fields.plan': 'gold', phone: null },
  externalId: 'emp-1',
  roleKey: 'agent',
  ...over,
});
const value = (attrs: { name: string; values: string[] }[], name: string) => attrs.find((a) => a.name.endsWith(name))?.values;

describe('Zendesk SSO facts', () => {
  const endpoints = zendeskSso.endpoints({ subdomain: 'acme' }, 'https://{subdomain}.zendesk.com')!;
  const sandbox = zendeskSso.endpoints({ subdomain: 'acme' }, 'http://127.0.0.1:4000/{subdomain}')!;

  it('knows where the account receives sign-ins, also with the sandbox', () => {
    expect(endpoints).toMatchObject({ acsUrl: 'https://acme.zendesk.com/access/saml', audience: 'acme.zendesk.com', jwtUrl: 'https://acme.zendesk.com/access/jwt' });
    expect(sandbox).toMatchObject({ acsUrl: 'http://127.0.0.1:4000/acme/access/saml', audience: 'acme.zendesk.com' });
    expect(zendeskSso.endpoints({}, 'https://{subdomain}.zendesk.com')).toBeNull();
  });

  it('maps the rendered user to Zendesk’s SAML attributes', () => {
    const a = zendeskSso.samlAssertion(subject());
    expect(a.nameId).toBe('ada@example.com');
    expect(value(a.attributes, '/givenname')).toEqual(['Ada']);
    expect(value(a.attributes, '/surname')).toEqual(['Lovelace']);
    expect(value(a.attributes, 'tags')).toEqual(['vip math']);
    expect(value(a.attributes, 'user_field_plan')).toEqual(['gold']);
    expect(value(a.attributes, 'phone')).toBeUndefined();
    expect(value(a.attributes, 'role')).toEqual(['agent']);
    const custom = zendeskSso.samlAssertion(subject({ roleKey: 'custom:42' }));
    expect([value(custom.attributes, 'role'), value(custom.attributes, 'custom_role_id')]).toEqual([['agent'], ['42']]);
    // A provisioned name that is not "given family" goes whole, so Zendesk shows the same name.
    const renamed = zendeskSso.samlAssertion(subject({ attributes: { name: 'Countess Ada' } }));
    expect([value(renamed.attributes, '/givenname'), value(renamed.attributes, '/surname')]).toEqual([['Countess Ada'], undefined]);
  });

  it('maps the rendered user to JWT claims', () => {
    expect(zendeskSso.jwtClaims(subject({ roleKey: 'end-user' }))).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      external_id: 'emp-1',
      role: 'end-user',
      organization: 'Analytical',
      tags: ['vip', 'math'],
      user_fields: { plan: 'gold' },
    });
  });

  it('accepts only the account’s own pages as a place to return to', () => {
    expect(zendeskSso.isOwnUrl(endpoints, 'https://acme.zendesk.com/hc/en-us')).toBe(true);
    expect(zendeskSso.isOwnUrl(endpoints, 'https://evil.example/')).toBe(false);
    expect(zendeskSso.isOwnUrl(endpoints, 'https://acme.zendesk.com.evil.example/')).toBe(false);
    expect(zendeskSso.isOwnUrl(endpoints, 'https://x@acme.zendesk.com/')).toBe(false);
    expect(zendeskSso.isOwnUrl(endpoints, 'javascript:alert(1)')).toBe(false);
    expect(zendeskSso.isOwnUrl(sandbox, 'http://127.0.0.1:4000/acme/agent')).toBe(true);
    expect(zendeskSso.isOwnUrl(sandbox, 'http://127.0.0.1:4000/acme-other/agent')).toBe(false);
    expect(zendeskSso.isOwnUrl(sandbox, 'http://127.0.0.1:4000/other/agent')).toBe(false);
  });
});
