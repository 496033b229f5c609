import { describe, expect, it } from 'vitest';
import type { TargetField } from '../../connectors/contract.ts';
import { type CompiledMappings, compileMappings } from '../mapping/compile-mappings.ts';
import { type DirectoryUserLike, sourceAttributes } from '../mapping/source-attributes.ts';
import { renderDesired } from './render-desired.ts';

const user = (over: Partial<DirectoryUserLike> = {}): DirectoryUserLike => ({
  id: '00000000-0000-4000-8000-000000000001',
  email: 'ada@example.com',
  givenName: 'Ada',
  familyName: 'Lovelace',
  displayName: 'Ada Lovelace',
  phone: null,
  mobile: null,
  jobTitle: null,
  department: null,
  employeeId: null,
  managerId: '00000000-0000-4000-8000-000000000002',
  locale: null,
  timeZone: null,
  organization: null,
  location: null,
  status: 'active',
  custom: {},
  ...over,
});

const fields: TargetField[] = [{ key: 'notes', label: 'Notes', type: 'string', custom: false }];
const managerEmailToNotes = (): CompiledMappings => {
  const r = compileMappings([{ target: 'notes', source: { kind: 'expression', expression: '[managerEmail]' }, apply: 'always' }], [], fields, sourceAttributes());
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

describe('renderDesired', () => {
  it('renders [managerEmail] from the manager’s email resolved on the user', () => {
    const compiled = managerEmailToNotes();
    const r = renderDesired(user({ managerEmail: 'boss@example.com' }), 'agent', { compiled, onCreate: new Set() });
    expect(r).toMatchObject({ desired: { attributes: { notes: 'boss@example.com' } } });
  });

  it('renders it empty when there is no manager', () => {
    const compiled = managerEmailToNotes();
    const r = renderDesired(user({ managerId: null, managerEmail: null }), 'agent', { compiled, onCreate: new Set() });
    expect(r).toMatchObject({ desired: { attributes: { notes: null } } });
  });
});
