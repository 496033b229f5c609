import { describe, expect, it } from 'vitest';
import { roleFields, roleKeyOf, toTargetUser, toZendeskBody } from './user-shape.ts';

describe('Zendesk user shape', () => {
  it.each([
    [{ role: 'end-user', custom_role_id: null, role_type: null }, 'end-user'],
    [{ role: 'agent', custom_role_id: null, role_type: null }, 'agent'],
    [{ role: 'agent', custom_role_id: 16, role_type: 1 }, 'custom:16'],
    [{ role: 'admin', custom_role_id: 4, role_type: 4 }, 'admin'],
    [{ role: 'admin', custom_role_id: 5, role_type: 5 }, 'custom:5'],
  ])('reads the role key of %o as %s', (user, key) => {
    expect(roleKeyOf(user)).toBe(key);
  });

  it('writes role keys as role + custom_role_id (billing admin is an admin)', () => {
    expect(roleFields('custom:16', new Set([5]))).toEqual({ role: 'agent', custom_role_id: 16 });
    expect(roleFields('custom:5', new Set([5]))).toEqual({ role: 'admin', custom_role_id: 5 });
    expect(roleFields('agent', new Set())).toEqual({ role: 'agent', custom_role_id: null });
    expect(roleFields('end-user', new Set())).toEqual({ role: 'end-user' });
  });

  it('builds a create body with external_id, skip_verify_email, organization by name and custom fields', () => {
    const body = toZendeskBody(
      { externalId: 'u-1', roleKey: 'agent', attributes: { name: 'Ann', email: 'ann@x.io', organization: ' Acme ', tags: ['a'], 'user_fields.department': 'Sales' } },
      new Set(),
      { create: true },
    );
    expect(body).toEqual({ name: 'Ann', email: 'ann@x.io', tags: ['a'], organization: { name: 'Acme' }, user_fields: { department: 'Sales' }, external_id: 'u-1', role: 'agent', custom_role_id: null, skip_verify_email: true });
  });

  it('leaves email out of an update body (identities change the primary) and clears an emptied organization', () => {
    expect(toZendeskBody({ attributes: { email: 'new@x.io', organization: '' }, suspended: true }, new Set(), { create: false })).toEqual({ organization_id: null, suspended: true });
  });

  it('normalises a Zendesk user, naming the organization and custom fields by mapping key', () => {
    const u = toTargetUser({ id: 7, name: 'Ann', email: 'ann@x.io', external_id: 'u-1', role: 'agent', custom_role_id: 16, role_type: 1, suspended: true, active: true, organization_id: 3, user_fields: { plan: 'gold' } }, (id) => (id === 3 ? 'Acme' : null));
    expect(u).toMatchObject({ id: '7', externalId: 'u-1', roleKey: 'custom:16', suspended: true, active: true, attributes: { organization: 'Acme', 'user_fields.plan': 'gold', name: 'Ann' } });
  });
});
