import { describe, expect, it } from 'vitest';
import type { ScopingClause, ScopingFilter } from '../config/settings-schema.ts';
import { sourceAttributes } from '../mapping/source-attributes.ts';
import { scopingGroupIds, validateScoping } from './validate-scoping.ts';

const GROUP = '11111111-1111-4111-8111-111111111111';
const GONE = '22222222-2222-4222-8222-222222222222';
const attributes = sourceAttributes([
  { key: 'contractor', type: 'boolean' },
  { key: 'level', type: 'number' },
  { key: 'startDate', type: 'date' },
]);

const check = (...clauses: ScopingClause[]) => validateScoping([{ name: 'f', clauses }], attributes, new Set([GROUP]), { path: 'body.settings' });

describe('validateScoping', () => {
  it('accepts well-formed clauses of every kind', () => {
    expect(
      check(
        { attribute: 'department', operator: 'equals', value: 'Sales' },
        { attribute: 'status', operator: 'not_equals', value: 'inactive' },
        { attribute: 'custom.contractor', operator: 'is_false', value: null },
        { attribute: 'jobTitle', operator: 'is_not_null', value: null },
        { attribute: 'email', operator: 'regex_match', value: '.*\\@example\\.com$' },
        { attribute: 'employeeId', operator: 'greater_than_or_equals', value: 1000000 },
        { attribute: 'custom.level', operator: 'greater_than', value: 3 },
        { attribute: 'custom.startDate', operator: 'greater_than', value: '2024-01-01' },
        { attribute: 'email', operator: 'ends_with', value: '@example.com' },
        { attribute: 'groups', operator: 'in_group', value: GROUP },
        { attribute: 'groups', operator: 'not_in_group', value: GROUP.toUpperCase() },
      ),
    ).toEqual([]);
  });

  it('names each problem by its path', () => {
    const issues = check(
      { attribute: 'email', operator: 'regex_match', value: '([a-z]+' },
      { attribute: 'departement', operator: 'equals', value: 'Sales' },
      { attribute: 'employeeId', operator: 'greater_than', value: 'ten' },
      { attribute: 'custom.contractor', operator: 'is_true', value: 'yes' },
      { attribute: 'department', operator: 'is_true', value: null },
      { attribute: 'groups', operator: 'in_group', value: GONE },
      { attribute: 'groups', operator: 'in_group', value: 'not-an-id' },
      { attribute: 'department', operator: 'in_group', value: GROUP },
      { attribute: 'groups', operator: 'equals', value: 'x' },
      { attribute: 'Department', operator: 'equals', value: 'Sales' },
      { attribute: 'managerEmail', operator: 'is_null', value: null },
      { attribute: 'department', operator: 'equals', value: null },
      { attribute: 'department', operator: 'equals', value: '' },
      { attribute: 'email', operator: 'not_regex_match', value: '(a+)+' },
      { attribute: 'status', operator: 'equals', value: 'enabled' },
      { attribute: 'custom.startDate', operator: 'greater_than', value: 20240101 },
      { attribute: 'custom.contractor', operator: 'greater_than', value: 1 },
    );
    const at = (i: number, field: string) => issues.filter((x) => x.path === `body.settings.scopingFilters.0.clauses.${i}.${field}`).map((x) => x.reason);
    expect(at(0, 'value')).toEqual([expect.stringMatching(/does not compile/)]);
    expect(at(1, 'attribute')).toEqual([expect.stringMatching(/unknown attribute departement/)]);
    expect(at(2, 'value')).toEqual([expect.stringMatching(/must be a number/)]);
    expect(at(3, 'value')).toEqual([expect.stringMatching(/takes no value/)]);
    expect(at(4, 'operator')).toEqual([expect.stringMatching(/applies to boolean attributes/)]);
    expect(at(5, 'value')).toEqual([expect.stringMatching(/no directory group/)]);
    expect(at(6, 'value')).toEqual(['must be a directory group id']);
    expect(at(7, 'attribute')).toEqual([expect.stringMatching(/set the attribute to "groups"/)]);
    expect(at(8, 'operator')).toEqual([expect.stringMatching(/in_group or not_in_group/)]);
    expect(at(9, 'attribute')).toEqual([expect.stringMatching(/did you mean department/)]);
    expect(at(10, 'attribute')).toEqual([expect.stringMatching(/not loaded/)]);
    expect(at(11, 'value')).toEqual(['equals needs a value']);
    expect(at(12, 'value')).toEqual([expect.stringMatching(/is_null/)]);
    expect(at(13, 'value')).toEqual([expect.stringMatching(/exponential/)]);
    expect(at(14, 'value')).toEqual([expect.stringMatching(/one of active, inactive/)]);
    expect(at(15, 'value')).toEqual([expect.stringMatching(/YYYY-MM-DD/)]);
    expect(at(16, 'operator')).toEqual([expect.stringMatching(/compares numbers or dates/)]);
    expect(issues).toHaveLength(17);
  });

  it('lists the well-formed group ids to look up', () => {
    const filters: ScopingFilter[] = [{ name: '', clauses: [{ attribute: 'groups', operator: 'in_group', value: GROUP.toUpperCase() }, { attribute: 'groups', operator: 'not_in_group', value: 'bad' }, { attribute: 'groups', operator: 'in_group', value: GROUP }] }];
    expect(scopingGroupIds(filters)).toEqual([GROUP]);
  });
});
