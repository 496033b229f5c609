import { describe, expect, it } from 'vitest';
import type { TargetUser } from '../../connectors/contract.ts';
import type { AttributeDefinition } from '../../directory/attributes/custom-values.ts';
import type { UserRow } from '../../directory/users/user-fields.ts';
import { defaultSettingsFor } from '../mapping/defaults.ts';
import { type DirectoryView, classifyTarget } from './classify.ts';
import { importMappingOf } from './import-mapping.ts';

const mapping = importMappingOf(defaultSettingsFor('zendesk'));
const noDefs = new Map<string, AttributeDefinition>();

const target = (over: Partial<TargetUser> = {}): TargetUser => ({
  id: '101',
  externalId: null,
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  roleKey: 'end-user',
  suspended: false,
  active: true,
  attributes: { time_zone: null, locale: null, organization: null, alias: null },
  ...over,
});

const row = (over: Partial<UserRow> = {}): UserRow => ({
  id: '11111111-1111-4111-8111-111111111111', email: 'ada@example.com', givenName: 'Ada', familyName: 'Lovelace', displayName: 'Ada Lovelace', phone: null, mobile: null,
  jobTitle: null, department: null, employeeId: null, managerId: null, locale: null, timeZone: null, organization: null, location: null, custom: {}, status: 'active',
  deletedAt: null, version: 1, createdAt: new Date(0), updatedAt: new Date(0), ...over,
});

/** A directory of the given rows; `linked` maps target ids to row ids. */
function directory(rows: UserRow[], linked: Record<string, string> = {}): DirectoryView {
  return {
    linkedTo: (targetId) => rows.find((r) => r.id === linked[targetId]),
    find: (attribute, value) => rows.filter((r) => String((r as unknown as Record<string, unknown>)[attribute] ?? '').toLowerCase() === value.toLowerCase()),
  };
}

describe('classifyTarget', () => {
  it('new: nobody matches; the name is split and the values checked', () => {
    const item = classifyTarget(target({ name: 'Ludwig van Beethoven', email: 'lvb@example.com', attributes: { time_zone: 'Vienna', alias: 'Louis' } }), mapping, directory([]), noDefs)!;
    expect(item).toMatchObject({ category: 'new', directoryUserId: null, identity: 'lvb@example.com', reasonCode: null });
    expect(item.differences).toEqual(expect.arrayContaining([
      { field: 'givenName', directory: null, target: 'Louis' },
      { field: 'familyName', directory: null, target: 'van Beethoven' },
      { field: 'displayName', directory: null, target: 'Ludwig van Beethoven' },
      { field: 'timeZone', directory: null, target: 'Vienna' },
    ]));
  });

  it('update, activate, deactivate and unchanged follow the two sides\' states', () => {
    const d = row();
    expect(classifyTarget(target({ name: 'Ada King' }), mapping, directory([d]), noDefs)).toMatchObject({ category: 'update', directoryUserId: d.id, differences: [{ field: 'displayName', directory: 'Ada Lovelace', target: 'Ada King' }, { field: 'familyName', directory: 'Lovelace', target: 'King' }] });
    expect(classifyTarget(target(), mapping, directory([row({ status: 'inactive' })]), noDefs)).toMatchObject({ category: 'activate' });
    expect(classifyTarget(target({ suspended: true }), mapping, directory([d]), noDefs)).toMatchObject({ category: 'deactivate' });
    expect(classifyTarget(target({ suspended: true }), mapping, directory([row({ status: 'inactive' })]), noDefs)).toMatchObject({ category: 'update', differences: [] });
    expect(classifyTarget(target(), mapping, directory([d], { '101': d.id }), noDefs)).toMatchObject({ category: 'unchanged' });
    // In both but not linked yet: importing it links and assigns, with nothing to overwrite.
    expect(classifyTarget(target(), mapping, directory([d]), noDefs)).toMatchObject({ category: 'update', differences: [] });
  });

  it('matches by external_id (the directory id) before email', () => {
    const byId = row({ id: '22222222-2222-4222-8222-222222222222', email: 'old@example.com' });
    const item = classifyTarget(target({ externalId: byId.id.toUpperCase(), email: 'new@example.com' }), mapping, directory([byId]), noDefs);
    expect(item).toMatchObject({ category: 'update', directoryUserId: byId.id, differences: [{ field: 'email', directory: 'old@example.com', target: 'new@example.com' }] });
  });

  it('conflicts: no email, an email owned by another user, an ambiguous match, an invalid value', () => {
    expect(classifyTarget(target({ email: null }), mapping, directory([]), noDefs)).toMatchObject({ category: 'conflict', reasonCode: 'no_email', identity: 'Ada Lovelace' });
    const other = row({ id: '33333333-3333-4333-8333-333333333333', email: 'other@example.com' });
    const owner = row();
    expect(classifyTarget(target({ externalId: other.id }), mapping, directory([other, owner]), noDefs)).toMatchObject({ category: 'conflict', reasonCode: 'email_owned_by_other_user', directoryUserId: other.id });
    const byEmailOnly = importMappingOf({ ...defaultSettingsFor('zendesk'), matching: ['external_id'] });
    expect(classifyTarget(target(), byEmailOnly, directory([owner]), noDefs)).toMatchObject({ category: 'conflict', reasonCode: 'email_owned_by_other_user' });
    const byOrg = importMappingOf({ ...defaultSettingsFor('zendesk'), matching: ['organization'] });
    const twins = [row({ id: '44444444-4444-4444-8444-444444444444', email: 'a@x.com', organization: 'Acme' }), row({ id: '55555555-5555-4555-8555-555555555555', email: 'b@x.com', organization: 'Acme' })];
    expect(classifyTarget(target({ email: 'c@x.com', attributes: { organization: 'Acme' } }), byOrg, directory(twins), noDefs)).toMatchObject({ category: 'conflict', reasonCode: 'ambiguous_match' });
    expect(classifyTarget(target({ email: 'not an email' }), mapping, directory([]), noDefs)).toMatchObject({ category: 'conflict', reasonCode: 'invalid_value', reason: expect.stringContaining('email:') });
    const required = new Map<string, AttributeDefinition>([['costCenter', { key: 'costCenter', type: 'string', required: true } as AttributeDefinition]]);
    expect(classifyTarget(target({ email: 'new@example.com' }), mapping, directory([]), required)).toMatchObject({ category: 'conflict', reasonCode: 'invalid_value', reason: expect.stringContaining('custom.costCenter') });
  });

  it('a deleted Zendesk user nobody matches is left out', () => {
    expect(classifyTarget(target({ active: false }), mapping, directory([]), noDefs)).toBeNull();
  });
});
