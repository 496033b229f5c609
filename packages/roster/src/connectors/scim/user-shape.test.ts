import { describe, expect, it } from 'vitest';
import { ENTERPRISE_USER } from './discovery.ts';
import { applyOperations, patchBody, patchOperations, toScimResource, toTargetUser, type ScimUser } from './user-shape.ts';

const DEPT = `${ENTERPRISE_USER}:department`;

describe('SCIM user shape', () => {
  it('builds one replace per changed attribute and a remove per emptied one', () => {
    const ops = patchOperations({ attributes: { name: 'Ada', 'name.givenName': 'Ada', email: 'ada@x.com', phone: '', title: null, [DEPT]: 'Eng', external_id: 'ignored' }, suspended: true, roleKey: 'role:agent' });
    expect(patchBody(ops)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'replace', path: 'displayName', value: 'Ada' },
        { op: 'replace', path: 'name.givenName', value: 'Ada' },
        { op: 'replace', path: 'emails', value: [{ value: 'ada@x.com', type: 'work', primary: true }] },
        { op: 'remove', path: 'phoneNumbers' },
        { op: 'remove', path: 'title' },
        { op: 'replace', path: DEPT, value: 'Eng' },
        { op: 'replace', path: 'roles', value: [{ value: 'agent', primary: true }] },
        { op: 'replace', path: 'active', value: false },
      ],
    });
    expect(patchOperations({ roleKey: 'user' })).toEqual([{ op: 'remove', path: 'roles' }]);
    expect(patchOperations({})).toEqual([]);
  });

  it('creates a full resource: userName from the email, else the external id; extensions declared in schemas', () => {
    const r = toScimResource({ externalId: 'e1', roleKey: 'user', attributes: { name: 'Ada', email: 'ada@x.com', [DEPT]: 'Eng', title: null } });
    expect(r).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER],
      userName: 'ada@x.com',
      displayName: 'Ada',
      emails: [{ value: 'ada@x.com', type: 'work', primary: true }],
      externalId: 'e1',
      active: true,
      [ENTERPRISE_USER]: { department: 'Eng' },
    });
    expect(toScimResource({ externalId: 'e2', roleKey: 'role:x', attributes: { name: 'B', userName: 'bee' } })).toMatchObject({ userName: 'bee', roles: [{ value: 'x', primary: true }] });
    expect(toScimResource({ externalId: 'e3', roleKey: 'user', attributes: { name: 'C' } })['userName']).toBe('e3');
  });

  it('applies the operations to a whole resource for PUT, keeping the rest', () => {
    const current = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: '1', userName: 'a', nickName: 'keep', title: 'old', name: { familyName: 'L' } };
    const out = applyOperations(current, patchOperations({ attributes: { title: null, 'name.givenName': 'Ada', [DEPT]: 'Eng' } }));
    expect(out).toEqual({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER], id: '1', userName: 'a', nickName: 'keep', name: { familyName: 'L', givenName: 'Ada' }, [ENTERPRISE_USER]: { department: 'Eng' } });
    expect(current.title).toBe('old');
  });

  it('reads a User back under the mapping keys', () => {
    const u = {
      id: 'u1',
      externalId: 'e1',
      userName: 'ada',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ value: 'home@x.com', type: 'home' }, { value: 'ada@x.com', type: 'work', primary: true }],
      active: false,
      roles: [{ value: 'agent' }],
      [ENTERPRISE_USER]: { department: 'Eng', manager: { value: 'm1', displayName: 'Boss' } },
      meta: { lastModified: '2026-01-01T00:00:00Z' },
    } as ScimUser;
    const t = toTargetUser(u, [ENTERPRISE_USER]);
    expect(t).toMatchObject({ id: 'u1', externalId: 'e1', email: 'ada@x.com', name: 'Ada Lovelace', roleKey: 'role:agent', suspended: true, active: true, updatedAt: '2026-01-01T00:00:00Z' });
    expect(t.attributes).toMatchObject({ 'name.givenName': 'Ada', email: 'ada@x.com', [DEPT]: 'Eng', [`${ENTERPRISE_USER}:manager`]: 'm1' });
    expect(toTargetUser({ id: 'u2', userName: 'solo' } as ScimUser, []).name).toBe('solo');
    expect(toTargetUser({ id: 'u3', active: 'false' } as ScimUser, []).suspended).toBe(true);
  });
});
