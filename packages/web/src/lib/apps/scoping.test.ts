import { describe, expect, it } from 'vitest';
import { takesValue, toDrafts, toFilters } from './scoping.ts';

describe('scoping filter editor model', () => {
  it('sends unary clauses without a value and ordering values as numbers', () => {
    const filters = toFilters([
      {
        name: ' Support ',
        clauses: [
          { attribute: 'department', operator: 'equals', value: 'Support' },
          { attribute: 'custom.level', operator: 'greater_than', value: '3' },
          { attribute: 'custom.vip', operator: 'is_true', value: 'ignored' },
          { attribute: 'custom.code', operator: 'greater_than', value: 'abc' },
        ],
      },
    ]);
    expect(filters).toEqual([
      {
        name: 'Support',
        clauses: [
          { attribute: 'department', operator: 'equals', value: 'Support' },
          { attribute: 'custom.level', operator: 'greater_than', value: 3 },
          { attribute: 'custom.vip', operator: 'is_true', value: null },
          { attribute: 'custom.code', operator: 'greater_than', value: 'abc' },
        ],
      },
    ]);
    expect(takesValue('is_null')).toBe(false);
    expect(takesValue('in_group')).toBe(true);
  });

  it('round-trips stored filters through the drafts', () => {
    const stored = [{ name: 'x', clauses: [{ attribute: 'status', operator: 'equals' as const, value: 'active' }, { attribute: 'custom.vip', operator: 'is_true' as const, value: null }] }];
    expect(toFilters(toDrafts(stored))).toEqual(stored);
  });
});
