import { describe, expect, it } from 'vitest';
import { type FieldMapping, describeSource, draftOf, mappingOf, sameMappings, withMapping, withoutMapping , draftReady } from './mapping.ts';

const name: FieldMapping = { target: 'name', source: { kind: 'attribute', attribute: 'displayName' }, apply: 'always' };
const details: FieldMapping = { target: 'details', source: { kind: 'expression', expression: 'Join(", ", [jobTitle], [department])' }, apply: 'always' };

describe('mapping table logic', () => {
  it('describes each kind of source', () => {
    expect(describeSource(name.source)).toBe('displayName');
    expect(describeSource({ kind: 'constant', value: 'Support' })).toBe('"Support"');
    expect(describeSource({ kind: 'constant', value: null })).toBe('empty (null)');
    expect(describeSource(details.source)).toBe('Join(", ", [jobTitle], [department])');
  });

  it('round-trips a mapping through the edit draft', () => {
    expect(mappingOf(draftOf(name, 'name'))).toEqual(name);
    expect(mappingOf(draftOf(details, 'details'))).toEqual(details);
    const alias: FieldMapping = { target: 'alias', source: { kind: 'attribute', attribute: 'givenName' }, apply: 'on_create' };
    expect(mappingOf(draftOf(alias, 'alias'))).toEqual(alias);
  });

  it('turns a direct mapping into a hardcoded value without losing the target', () => {
    const draft = { ...draftOf(name, 'name'), kind: 'constant' as const, constant: 'Support team' };
    expect(mappingOf(draft)).toEqual({ target: 'name', source: { kind: 'constant', value: 'Support team' }, apply: 'always' });
    expect(draftOf(undefined, 'notes')).toMatchObject({ target: 'notes', kind: 'attribute', attribute: '', onCreateOnly: false });
  });

  it('replaces, appends and removes one target', () => {
    const changed: FieldMapping = { ...name, source: { kind: 'constant', value: 'X' } };
    expect(withMapping([name, details], changed)).toEqual([changed, details]);
    const notes: FieldMapping = { target: 'notes', source: { kind: 'constant', value: 'n' }, apply: 'always' };
    expect(withMapping([name], notes)).toEqual([name, notes]);
    expect(withoutMapping([name, details], 'name')).toEqual([details]);
    expect(sameMappings([name, details], [name, details])).toBe(true);
    expect(sameMappings([name, details], [details, name])).toBe(false);
  });

  it('previews a draft only once it names its source', () => {
    const fresh = draftOf(undefined, 'details');
    expect(draftReady(fresh)).toBe(false);
    expect(draftReady({ ...fresh, attribute: 'jobTitle' })).toBe(true);
    expect(draftReady({ ...fresh, kind: 'expression', expression: '  ' })).toBe(false);
    expect(draftReady({ ...fresh, kind: 'constant' })).toBe(true);
  });
});
