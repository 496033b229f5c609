import { describe, expect, it } from 'vitest';
import { checkRoleKey, roleRank } from '../../connectors/app-roles.ts';
import { gallery, galleryEntry } from './gallery.ts';
import { normaliseZendeskSubdomain, zendeskSettingsSchema } from '../../connectors/zendesk/gallery.ts';

describe('gallery', () => {
  it('lists Zendesk first, with Default Access and the three Zendesk roles', () => {
    expect(gallery[0]?.key).toBe('zendesk');
    expect(galleryEntry('zendesk')?.roles.map((r) => r.key)).toEqual(['default-access', 'end-user', 'agent', 'admin']);
    expect(galleryEntry('zendesk')?.logo).toMatch(/^data:image\/svg\+xml/);
    expect(galleryEntry('nope')).toBeUndefined();
  });

  it('normalises a pasted Zendesk address to its subdomain', () => {
    expect(normaliseZendeskSubdomain('https://spencer-4609.zendesk.com')).toBe('spencer-4609');
    expect(normaliseZendeskSubdomain(' Acme.Zendesk.com/agent/tickets ')).toBe('acme');
    expect(normaliseZendeskSubdomain('http://acme.zendesk.com:443/')).toBe('acme');
    expect(normaliseZendeskSubdomain('ACME')).toBe('acme');
  });

  it('refuses what is not a subdomain, saying why', () => {
    const bad = (subdomain: unknown) => {
      const r = zendeskSettingsSchema.safeParse({ subdomain });
      return r.success ? null : r.error.issues[0]?.message;
    };
    expect(bad('acme')).toBeNull();
    expect(bad('-acme')).toMatch(/lower-case letters/);
    expect(bad('a'.repeat(64))).toMatch(/at most 63/);
    expect(bad('acme_support')).toMatch(/subdomain/);
    expect(bad('https://acme.freshdesk.com')).toMatch(/not a Zendesk address/);
    expect(bad('')).toMatch(/subdomain/);
    expect(bad(42)).toBeTruthy();
    expect(zendeskSettingsSchema.safeParse({ subdomain: 'acme', region: 'eu' }).success).toBe(false);
  });

  it('checks role keys by shape, and against the account roles once they are known', () => {
    const zendesk = galleryEntry('zendesk')!;
    expect(zendesk.checkRole('agent')).toEqual({ ok: true, role: expect.objectContaining({ key: 'agent', label: 'Agent' }) });
    expect(zendesk.checkRole('custom:360001', undefined, 'Light agent')).toEqual({ ok: true, role: { key: 'custom:360001', label: 'Light agent' } });
    expect(zendesk.checkRole('custom:360001')).toEqual({ ok: true, role: { key: 'custom:360001', label: 'Custom role 360001' } });
    expect(zendesk.checkRole('owner').ok).toBe(false);
    expect(zendesk.checkRole('custom:abc').ok).toBe(false);
    const known = [{ key: 'custom:7', label: 'Contributor' }];
    expect(zendesk.checkRole('custom:7', known)).toEqual({ ok: true, role: known[0] });
    expect(zendesk.checkRole('custom:8', known).ok).toBe(false);
    expect(checkRoleKey('admin', [])).toMatchObject({ ok: false });
  });

  it('ranks admin > agent > custom > end-user > default-access', () => {
    const order = ['default-access', 'end-user', 'custom:1', 'agent', 'admin'];
    expect([...order].reverse().sort((a, b) => roleRank(a) - roleRank(b))).toEqual(order);
  });
});
