import { describe, expect, it } from 'vitest';
import { assertKeepsOwnAdminRights, assertMayActOn, assertMayGrant, assertMayTouch } from './admin-rules.ts';
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

  it('lets an admin act only on admins whose permissions they all hold; only owners act on owners', () => {
    const manager = adminWith('manage_admins', 'view_logs');
    expect(() => assertMayActOn(manager, { role: 'admin', permissions: ['view_logs'] }, 'change')).not.toThrow();
    expect(() => assertMayActOn(manager, { role: 'admin', permissions: [] }, 'change')).not.toThrow();
    expect(() => assertMayActOn(manager, { role: 'admin', permissions: ['view_logs', 'manage_users', 'view_apps'] }, 'delete')).toThrow(
      expect.objectContaining({ code: 'outranked', details: { missing: ['view_apps', 'manage_users'] }, message: expect.stringMatching(/^You cannot delete this admin/) }),
    );
    // Unknown stored permission names grant nothing, so they do not count.
    expect(() => assertMayActOn(manager, { role: 'admin', permissions: ['fly'] }, 'change')).not.toThrow();
    const everything = adminWith('view_apps', 'assign_apps', 'import_users', 'manage_users', 'manage_provisioning', 'view_logs', 'manage_admins');
    expect(() => assertMayActOn(everything, { role: 'owner', permissions: [] }, 'change')).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => assertMayActOn(owner, { role: 'owner', permissions: [] }, 'change')).not.toThrow();
    expect(() => assertMayActOn(owner, { role: 'admin', permissions: ['manage_provisioning'] }, 'change')).not.toThrow();
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
