import { describe, expect, it } from 'vitest';
import { type UserFormValues, changedFields, collisions, createBody, customValue, toFormValues } from './user-changes.ts';

const user = {
  email: 'ada@example.com',
  givenName: 'Ada',
  familyName: 'Lovelace',
  displayName: 'Ada Lovelace',
  jobTitle: null,
  department: 'Research',
  employeeId: null,
  phone: null,
  mobile: null,
  organization: null,
  location: null,
  locale: null,
  timeZone: null,
  custom: { costCenter: 'R-1', seats: 3, remote: true },
};
const types = { costCenter: 'string', seats: 'number', remote: 'boolean' } as const;

function edit(v: UserFormValues, change: (v: UserFormValues) => void): UserFormValues {
  const copy = structuredClone(v);
  change(copy);
  return copy;
}

describe('user form changes', () => {
  const base = toFormValues(user, ['costCenter', 'seats', 'remote', 'startDate']);

  it('shows null and numbers as text in the form', () => {
    expect(base.fields.jobTitle).toBe('');
    expect(base.custom).toEqual({ costCenter: 'R-1', seats: '3', remote: 'true', startDate: '' });
  });

  it('sends only changed fields, null for a cleared optional one, typed custom values', () => {
    const after = edit(base, (v) => {
      v.fields.jobTitle = ' Engineer ';
      v.fields.department = '';
      v.custom['seats'] = '5';
      v.custom['remote'] = 'false';
      v.custom['costCenter'] = '';
    });
    expect(changedFields(base, after, types)).toEqual({ jobTitle: 'Engineer', department: null, custom: { seats: 5, remote: false, costCenter: null } });
  });

  it('sends nothing when only whitespace changed', () => {
    expect(changedFields(base, edit(base, (v) => (v.fields.givenName = 'Ada  ')), types)).toEqual({});
  });

  it('sends an emptied display name as empty text for the API to refuse by name', () => {
    expect(changedFields(base, edit(base, (v) => (v.fields.displayName = '')), types)).toEqual({ displayName: '' });
  });

  it('keeps an unparseable number as text so the API names the field', () => {
    expect(customValue('number', 'abc')).toBe('abc');
    expect(customValue('date', ' 2026-01-02 ')).toBe('2026-01-02');
  });

  it('creates with the filled fields only', () => {
    const blank = toFormValues(null, ['seats']);
    const filled = edit(blank, (v) => {
      v.fields.email = 'grace@example.com';
      v.fields.givenName = 'Grace';
      v.custom['seats'] = '2';
    });
    expect(createBody(filled, types)).toEqual({ email: 'grace@example.com', givenName: 'Grace', custom: { seats: 2 } });
  });

  it('lists the fields both sides changed differently after a stale edit', () => {
    const mine = edit(base, (v) => {
      v.fields.jobTitle = 'Engineer';
      v.fields.department = 'Math';
      v.custom['costCenter'] = 'R-2';
    });
    const theirs = edit(base, (v) => {
      v.fields.jobTitle = 'Analyst';
      v.fields.familyName = 'King';
      v.custom['costCenter'] = 'R-2';
    });
    expect(collisions(base, mine, theirs, { costCenter: 'Cost center' })).toEqual([{ field: 'jobTitle', label: 'Job title', base: '', theirs: 'Analyst', mine: 'Engineer' }]);
  });
});

describe('form errors from the API', () => {
  it('puts built-in fields under fields. and keeps custom paths', async () => {
    const { toFormErrors } = await import('./user-changes.ts');
    expect(toFormErrors({ email: 'taken', 'custom.seats': 'must be a number' })).toEqual({ 'fields.email': 'taken', 'custom.seats': 'must be a number' });
  });
});

describe('keeping my changes after a stale edit', () => {
  it('re-applies only the fields I changed over their version', async () => {
    const { rebase, toFormValues, changedFields } = await import('./user-changes.ts');
    const base = toFormValues(user, ['costCenter']);
    const mine = structuredClone(base);
    mine.fields.jobTitle = 'Engineer';
    const theirs = structuredClone(base);
    theirs.fields.familyName = 'King';
    theirs.custom['costCenter'] = 'R-9';
    const merged = rebase(base, mine, theirs);
    expect([merged.fields.jobTitle, merged.fields.familyName, merged.custom['costCenter']]).toEqual(['Engineer', 'King', 'R-9']);
    // Saved against their version, only my change is sent: theirs are not reverted.
    expect(changedFields(theirs, merged, types)).toEqual({ jobTitle: 'Engineer' });
  });
});
