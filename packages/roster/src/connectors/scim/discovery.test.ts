import { describe, expect, it } from 'vitest';
import { extensionFields, fieldsOf, rolesOf } from './catalog.ts';
import { CORE_USER, DEFAULT_MAX_RESULTS, ENTERPRISE_USER, normalizeEndpoint, readFeatures, type ScimDiscovery } from './discovery.ts';

describe('SCIM discovery', () => {
  it('reads ServiceProviderConfig, turning off a bulk without usable limits', () => {
    const f = readFeatures({ patch: { supported: true }, bulk: { supported: true, maxOperations: 0, maxPayloadSize: 1000 }, filter: { supported: 'true', maxResults: '50' }, etag: { supported: true }, sort: {}, changePassword: { supported: false } });
    expect(f).toMatchObject({ patch: true, bulk: { supported: false }, filter: { supported: true, maxResults: 50 }, etag: true, sort: false, changePassword: false });
    expect(readFeatures({})).toMatchObject({ patch: false, bulk: { supported: false }, filter: { supported: false, maxResults: DEFAULT_MAX_RESULTS } });
    expect(readFeatures({ filter: { supported: true, maxResults: -3 } })?.filter.maxResults).toBe(DEFAULT_MAX_RESULTS);
    expect(readFeatures('<html>')).toBeNull();
    expect(readFeatures({ patch: 'yes please' })).toBeNull();
  });

  it('normalises resource type endpoints', () => {
    expect(normalizeEndpoint('/Users')).toBe('/Users');
    expect(normalizeEndpoint('Users/')).toBe('/Users');
    expect(normalizeEndpoint('https://app.example.com/scim/v2/Accounts')).toBe('/Accounts');
  });

  it("offers an extension's writable attributes as mapping fields, complex ones by sub-attribute", () => {
    const urn = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';
    const attr = (name: string, extra: Record<string, unknown> = {}) => ({ name, type: 'string', multiValued: false, mutability: 'readWrite', required: false, canonicalValues: [], subAttributes: [], ...extra });
    const fields = extensionFields(urn, [
      attr('costCenter'),
      attr('level', { canonicalValues: ['junior', 'senior'] }),
      attr('badge', { mutability: 'readOnly' }),
      attr('hired', { type: 'dateTime', mutability: 'immutable' }),
      attr('tags', { multiValued: true }),
      attr('office', { type: 'complex', subAttributes: [attr('building'), attr('floor', { type: 'integer' })] }),
    ] as never);
    expect(fields.map((f) => [f.key.slice(urn.length + 1), f.type])).toEqual([
      ['costCenter', 'string'],
      ['level', 'enum'],
      ['hired', 'date'],
      ['tags', 'string[]'],
      ['office.building', 'string'],
      ['office.floor', 'number'],
    ]);
    expect(fields.find((f) => f.key.endsWith(':hired'))?.createOnly).toBe(true);
    const d = { userExtensions: [ENTERPRISE_USER, urn], schemas: new Map([[ENTERPRISE_USER, [attr('department'), attr('manager', { type: 'complex', subAttributes: [attr('value')] })]], [urn, [attr('costCenter')]]]) } as unknown as ScimDiscovery;
    const keys = fieldsOf(d).map((f) => f.key);
    expect(keys.filter((k) => k === `${ENTERPRISE_USER}:department`)).toHaveLength(1);
    expect(keys).not.toContain(`${ENTERPRISE_USER}:manager.value`);
    expect(keys).toContain(`${urn}:costCenter`);
  });

  it("offers the configured role values and the app's canonical ones", () => {
    const d = { schemas: new Map([[CORE_USER, [{ name: 'roles', type: 'complex', multiValued: true, mutability: 'readWrite', required: false, canonicalValues: [], subAttributes: [{ name: 'value', type: 'string', multiValued: false, mutability: 'readWrite', required: false, canonicalValues: ['admin', 'agent'], subAttributes: [] }] }]]]) } as unknown as ScimDiscovery;
    expect(rolesOf(['agent', 'viewer'], d).map((r) => r.key)).toEqual(['user', 'role:agent', 'role:viewer', 'role:admin']);
    expect(rolesOf([], null).map((r) => r.key)).toEqual(['user']);
  });
});
