import { describe, expect, it } from 'vitest';
import { defaultSettingsFor } from '../mapping/defaults.ts';
import { importMappingOf } from './import-mapping.ts';

describe('importMappingOf', () => {
  it('reverses the Zendesk defaults: attribute mappings import, expressions do not, external_id matches the directory id', () => {
    const m = importMappingOf(defaultSettingsFor('zendesk'));
    expect(m.fields).toEqual([
      { target: 'name', attribute: 'displayName', onCreate: false },
      { target: 'email', attribute: 'email', onCreate: false },
      { target: 'time_zone', attribute: 'timeZone', onCreate: false },
      { target: 'locale', attribute: 'locale', onCreate: false },
      { target: 'organization', attribute: 'organization', onCreate: false },
      { target: 'alias', attribute: 'givenName', onCreate: true },
    ]);
    expect(m.matchKeys).toEqual([
      { target: 'external_id', attribute: 'id' },
      { target: 'email', attribute: 'email' },
    ]);
    expect(m.notImported.map((n) => n.target)).toEqual(['phone', 'details']);
  });

  it('a matching field mapped by an expression cannot match, and says so', () => {
    const m = importMappingOf({
      mappings: [
        { target: 'email', source: { kind: 'expression', expression: 'Lower([email])' }, apply: 'always' },
        { target: 'user_fields.badge', source: { kind: 'attribute', attribute: 'custom.badge' }, apply: 'always' },
        { target: 'notes', source: { kind: 'attribute', attribute: 'managerEmail' }, apply: 'always' },
      ],
      matching: ['email', 'user_fields.badge'],
    });
    expect(m.matchKeys).toEqual([{ target: 'user_fields.badge', attribute: 'custom.badge' }]);
    expect(m.fields).toEqual([{ target: 'user_fields.badge', attribute: 'custom.badge', onCreate: false }]);
    expect(m.notImported).toEqual([
      { target: 'email', reason: 'mapped from the expression Lower([email]): no single directory attribute receives it' },
      { target: 'notes', reason: 'mapped from managerEmail, which Roster sets itself' },
      { target: 'email', reason: 'cannot be used for matching: it is not mapped from a single directory attribute' },
    ]);
  });
});
