import { describe, expect, it } from 'vitest';
import { createAttributeCatalog, sourceAttributes } from './source-attributes.ts';

describe('sourceAttributes', () => {
  const attributes = sourceAttributes([
    { key: 'costCenter', label: 'Cost center', type: 'string' },
    { key: 'tier', type: 'enum', enumValues: ['gold', 'silver'] },
    { key: 'level', type: 'number' },
    { key: 'odd', type: 'geo-point' },
  ]);

  it('lists the built-in attributes, status, then one custom.<key> per definition with its type', () => {
    expect(attributes.map((a) => `${a.name}:${a.type}`)).toEqual([
      'id:string',
      'email:string',
      'givenName:string',
      'familyName:string',
      'displayName:string',
      'phone:string',
      'mobile:string',
      'jobTitle:string',
      'department:string',
      'employeeId:string',
      'managerId:string',
      'managerEmail:string',
      'locale:string',
      'timeZone:string',
      'organization:string',
      'location:string',
      'status:enum',
      'custom.costCenter:string',
      'custom.tier:enum',
      'custom.level:number',
      'custom.odd:string',
    ]);
    expect(attributes.find((a) => a.name === 'custom.tier')).toMatchObject({ custom: true, enumValues: ['gold', 'silver'], label: 'tier' });
    expect(attributes.find((a) => a.name === 'custom.costCenter')?.label).toBe('Cost center');
  });

  it('finds attributes by exact name first, then ignoring case', () => {
    const catalog = createAttributeCatalog([...attributes, { name: 'custom.Email', label: 'x', type: 'string', custom: true }]);
    expect(catalog.get('givenname')?.name).toBe('givenName');
    expect(catalog.get('CUSTOM.COSTCENTER')?.name).toBe('custom.costCenter');
    expect(catalog.get('custom.Email')?.name).toBe('custom.Email');
    expect(catalog.get('custom.nothing')).toBeUndefined();
  });
});
