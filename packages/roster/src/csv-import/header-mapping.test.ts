import { describe, expect, it } from 'vitest';
import { planHeaders, requireColumns } from './header-mapping.ts';

const custom = [{ key: 'costCenter', label: 'Cost Center' }];

describe('planHeaders', () => {
  it('recognises common spellings and custom attributes by label', () => {
    const plan = planHeaders(['First Name', 'E-mail', 'Employee ID', 'Cost Center', 'Shoe size'], undefined, custom);
    expect(plan.columns).toEqual([
      { kind: 'field', field: 'givenName' },
      { kind: 'field', field: 'email' },
      { kind: 'field', field: 'employeeId' },
      { kind: 'custom', key: 'costCenter' },
      null,
    ]);
    expect(plan.ignored).toEqual(['Shoe size']);
  });

  it('lets an explicit mapping win and names bad mappings', () => {
    const plan = planHeaders(['Login', 'name'], { Login: 'email', name: '' }, custom);
    expect(plan.columns).toEqual([{ kind: 'field', field: 'email' }, null]);
    expect(() => planHeaders(['a'], { b: 'email', a: 'shoe' }, custom)).toThrow(/query.mapping.b.*query.mapping.a/);
  });

  it('refuses two columns feeding one field and a missing required column', () => {
    expect(() => planHeaders(['email', 'mail'], undefined, custom)).toThrow(/already does/);
    const plan = planHeaders(['first name'], undefined, custom);
    expect(() => requireColumns(plan, ['email'])).toThrow(expect.objectContaining({ code: 'csv_invalid', issues: [{ path: 'body.header.email', reason: 'required column is missing' }] }));
  });
});
