import { describe, expect, it } from 'vitest';
import { connectorFor } from '../registry.ts';
import { scimConfigSchema } from './config.ts';
import { checkScimRole, scimGalleryEntry, scimSettingsSchema } from './gallery.ts';

describe('the SCIM 2.0 gallery entry', () => {
  it('normalises the base URL (scheme and host lower-cased, no trailing slash) and names the account by it', () => {
    const s = scimSettingsSchema.parse({ baseUrl: ' HTTPS://App.Example.com/Scim/v2/ ' });
    expect(s).toEqual({ baseUrl: 'https://app.example.com/Scim/v2' });
    expect(connectorFor('scim')?.accountKey(s)).toBe('https://app.example.com/scim/v2');
    expect(scimGalleryEntry.targetUrl(s)).toBe('https://app.example.com/Scim/v2');
    expect(scimGalleryEntry.targetUrl(s, 'http://proxy.test/{baseUrl}')).toBe('http://proxy.test/https://app.example.com/Scim/v2');
  });

  it('refuses what is not an http(s) base URL, and unknown settings, naming them', () => {
    for (const baseUrl of ['app.example.com/scim', 'ftp://x.test/scim', 'https://x.test/scim?token=1', '']) {
      expect(scimSettingsSchema.safeParse({ baseUrl }).error?.issues.map((i) => i.path.join('.')), baseUrl).toEqual(['baseUrl']);
    }
    expect(scimSettingsSchema.safeParse({ baseUrl: 'https://x.test', subdomain: 'x' }).success).toBe(false);
    expect(scimSettingsSchema.safeParse({ baseUrl: 'https://x.test', emailFilter: 'mail' }).error?.issues.map((i) => i.path.join('.'))).toEqual(['emailFilter']);
  });

  it('takes optional settings left empty as absent, and role values comma-separated into the connector config', () => {
    expect(scimSettingsSchema.parse({ baseUrl: 'https://x.test', emailFilter: '', roleValues: '' })).toEqual({ baseUrl: 'https://x.test' });
    const settings = scimSettingsSchema.parse({ baseUrl: 'https://x.test/scim', emailFilter: 'userName', roleValues: 'admin, member,,' });
    const config = scimConfigSchema.parse({ ...settings, method: 'bearer', token: 't', baseUrlTemplate: '{baseUrl}', jobPollIntervalMs: 20 });
    expect(config).toMatchObject({ baseUrl: 'https://x.test/scim', emailFilter: 'userName', roleValues: ['admin', 'member'] });
  });

  it('offers the user role, accepts role:<value> by shape until the app is read, then only the values read', () => {
    expect(checkScimRole('user')).toMatchObject({ ok: true, role: { label: 'User' } });
    expect(checkScimRole('role:admin')).toMatchObject({ ok: true, role: { key: 'role:admin', label: 'admin' } });
    expect(checkScimRole('role:admin', [{ key: 'role:member', label: 'member' }]).ok).toBe(false);
    expect(checkScimRole('agent').ok).toBe(false);
    expect(scimGalleryEntry.roleRank('role:admin')).toBeGreaterThan(scimGalleryEntry.roleRank('user'));
  });
});
