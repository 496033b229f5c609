import { describe, expect, it } from 'vitest';
import { assertKeepsOwnAdminRights, assertMayGrant, assertMayTouch } from './admin-rules.ts';
import { type Permission, type Principal, effectivePermissions, systemPrincipal } from './permissions.ts';

const adminWith = (...perms: Permission[]): Principal => ({ adminId: 'a1', email: 'a@x.test', role: 'admin', permissions: effectivePermissions('admin', perms), via: 'session' });
const owner: Principal = { adminId: 'o1', email: 'o@x.test', role: 'owner', permissions: effectivePermissions('owner', []), via: 'session' };

describe('admin rules', () => {
  it('lets only owners (and the system) touch or make owners', () => {
    const manager = adminWith('manage_admins');
    expect(() => assertMayTouch(manager, { role: 'owner' }, null)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => assertMayTouch(manager, { role: 'admin' }, { role: 'owner' })).toThrow(/owner/);
    expect(() => assertMayTouch(manager, { role: 'admin' }, { role: 'admin' })).not.toThrow();
    expect(() => assertMayTouch(owner, { role: 'owner' }, { role: 'admin' })).not.toThrow();
    expect(() => assertMayTouch(systemPrincipal, null, { role: 'owner' })).not.toThrow();
  });

  it('refuses granting a permission the actor lacks, naming it', () => {
    const manager = adminWith('manage_admins', 'view_logs');
    expect(() => assertMayGrant(manager, ['view_logs'])).not.toThrow();
    expect(() => assertMayGrant(manager, ['view_logs', 'manage_provisioning'])).toThrow(expect.objectContaining({ details: { missing: ['manage_provisioning'] } }));
    expect(() => assertMayGrant(owner, ['manage_provisioning'])).not.toThrow();
  });

  it('refuses removing, disabling or deleting your own manage_admins, but not someone else’s', () => {
    const manager = adminWith('manage_admins');
    expect(() => assertKeepsOwnAdminRights(manager, 'a1', { role: 'admin', permissions: ['view_logs'], status: 'active' })).toThrow(/manage_admins/);
    expect(() => assertKeepsOwnAdminRights(manager, 'a1', { role: 'admin', permissions: ['manage_admins'], status: 'disabled' })).toThrow();
    expect(() => assertKeepsOwnAdminRights(manager, 'a1', null)).toThrow();
    expect(() => assertKeepsOwnAdminRights(manager, 'a1', { role: 'admin', permissions: ['manage_admins'], status: 'active' })).not.toThrow();
    expect(() => assertKeepsOwnAdminRights(owner, 'o1', { role: 'admin', permissions: [], status: 'active' })).toThrow();
    expect(() => assertKeepsOwnAdminRights(manager, 'someone-else', null)).not.toThrow();
  });
});
