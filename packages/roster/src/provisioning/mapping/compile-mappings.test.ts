import { describe, expect, it } from 'vitest';
import type { TargetField } from '../../connectors/contract.ts';
import type { FieldMapping } from '../config/settings-schema.ts';
import { compileMappings, renderUser } from './compile-mappings.ts';
import { type DirectoryUserLike, sourceAttributes, toSourceUser } from './source-attributes.ts';

const fields: TargetField[] = [
  { key: 'name', label: 'Name', type: 'string', custom: false, required: true },
  { key: 'email', label: 'Primary email', type: 'string', custom: false, matchable: true },
  { key: 'external_id', label: 'External ID', type: 'string', custom: false, matchable: true },
  { key: 'phone', label: 'Phone', type: 'string', custom: false },
  { key: 'alias', label: 'Alias', type: 'string', custom: false },
  { key: 'tags', label: 'Tags', type: 'string[]', custom: false },
  { key: 'details', label: 'Details', type: 'string', custom: false },
  { key: 'user_fields.cost_center', label: 'Cost center', type: 'string', custom: true },
  { key: 'user_fields.level', label: 'Level', type: 'number', custom: true },
];
const attributes = sourceAttributes([
  { key: 'costCenter', type: 'string' },
  { key: 'level', type: 'number' },
]);

const mappings: FieldMapping[] = [
  { target: 'name', source: { kind: 'expression', expression: 'Join(" ", [givenName], [familyName])' }, apply: 'always' },
  { target: 'email', source: { kind: 'attribute', attribute: 'email' }, apply: 'always' },
  { target: 'external_id', source: { kind: 'attribute', attribute: 'id' }, apply: 'always' },
  { target: 'phone', source: { kind: 'expression', expression: 'Coalesce([phone], [mobile])' }, apply: 'always' },
  { target: 'alias', source: { kind: 'attribute', attribute: 'givenName' }, apply: 'on_create' },
  { target: 'tags', source: { kind: 'constant', value: 'roster staff' }, apply: 'on_create' },
  { target: 'details', source: { kind: 'attribute', attribute: 'jobTitle' }, apply: 'always' },
  { target: 'user_fields.cost_center', source: { kind: 'attribute', attribute: 'custom.costCenter' }, apply: 'always' },
  { target: 'user_fields.level', source: { kind: 'attribute', attribute: 'custom.level' }, apply: 'always' },
];

const row = (over: Partial<DirectoryUserLike> = {}): DirectoryUserLike => ({
  id: 'a1b2',
  email: 'alice@example.com',
  givenName: 'Alice',
  familyName: 'Martin',
  displayName: 'Alice Martin',
  phone: null,
  mobile: '+33 6 00',
  jobTitle: '',
  department: 'Sales',
  employeeId: null,
  managerId: null,
  locale: 'fr',
  timeZone: 'Europe/Paris',
  organization: null,
  location: null,
  status: 'active',
  custom: { costCenter: 'CC-7', level: '4' },
  ...over,
});

function compiled() {
  const result = compileMappings(mappings, ['external_id', 'email'], fields, attributes);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

describe('compileMappings + render', () => {
  it('renders every mapping on create: attributes, constants, expressions, custom attributes, nulls', () => {
    expect(renderUser(toSourceUser(row()), compiled(), { isCreate: true })).toEqual({
      attributes: {
        name: 'Alice Martin',
        email: 'alice@example.com',
        external_id: 'a1b2',
        phone: '+33 6 00',
        alias: 'Alice',
        tags: ['roster', 'staff'],
        details: null,
        'user_fields.cost_center': 'CC-7',
        'user_fields.level': 4,
      },
      errors: [],
    });
  });

  it('leaves on_create mappings out of updates', () => {
    const { attributes: out } = compiled().render(toSourceUser(row()), false);
    expect(Object.keys(out)).toEqual(['details', 'email', 'external_id', 'name', 'phone', 'user_fields.cost_center', 'user_fields.level']);
  });

  it('reads a missing custom attribute as null', () => {
    const { attributes: out, errors } = compiled().render(toSourceUser(row({ custom: {} })), false);
    expect(out['user_fields.cost_center']).toBeNull();
    expect(out['user_fields.level']).toBeNull();
    expect(errors).toEqual([]);
  });

  it('reports a value the target field cannot take, and still renders the rest', () => {
    const { attributes: out, errors } = compiled().render(toSourceUser(row({ custom: { level: 'senior' } })), false);
    expect(errors).toEqual([{ target: 'user_fields.level', message: 'must be a number, got the string "senior"' }]);
    expect(out).not.toHaveProperty('user_fields.level');
    expect(out.name).toBe('Alice Martin');
  });

  it('reports a required field that renders empty', () => {
    const { errors } = compiled().render(toSourceUser(row({ givenName: null, familyName: '' })), true);
    expect(errors).toEqual([{ target: 'name', message: 'is empty, and the target requires name' }]);
  });

  it('reports expression errors at evaluation with their column', () => {
    const result = compileMappings(
      [...mappings.slice(0, 3), { target: 'details', source: { kind: 'expression', expression: 'Left([givenName], [custom.level])' }, apply: 'always' }],
      ['external_id'],
      fields,
      attributes,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.render({ givenName: 'Alice', 'custom.level': 2 }, true).attributes.details).toBe('Al');
    expect(result.value.render({ givenName: 'Alice', 'custom.level': -1 }, true).errors).toEqual([
      { target: 'details', message: 'Left: count must be a whole number of at least 0, got number -1 at col 19' },
    ]);
  });

  it('lists the attributes the mappings read, so unrelated changes need no push', () => {
    expect([...compiled().reads].sort()).toEqual(['custom.costCenter', 'custom.level', 'email', 'familyName', 'givenName', 'id', 'jobTitle', 'mobile', 'phone']);
    expect(compiled().targets).toHaveLength(9);
  });

  it('refuses to compile invalid settings, with the issues', () => {
    const result = compileMappings([{ target: 'name', source: { kind: 'attribute', attribute: 'custom.deleted' }, apply: 'always' }], ['email'], fields, attributes);
    expect(result).toEqual({
      ok: false,
      error: [
        { path: 'body.mappings.0.source.attribute', reason: 'is not a directory attribute' },
        { path: 'body.matching.0', reason: 'email is not mapped; map it or remove it from matching' },
      ],
    });
  });
});

describe('toSourceUser', () => {
  it('flattens custom attributes and keeps only scalar values', () => {
    const user = toSourceUser(row({ custom: { costCenter: 'CC-1', tags: ['a'], level: 3, remote: true, nested: { x: 1 } } }), { managerEmail: 'boss@example.com' });
    expect(user).toMatchObject({ 'custom.costCenter': 'CC-1', 'custom.tags': null, 'custom.level': 3, 'custom.remote': true, 'custom.nested': null, managerEmail: 'boss@example.com' });
    expect(toSourceUser(row()).managerEmail).toBeNull();
  });

  it('offers every source attribute the catalogue lists', () => {
    const names = sourceAttributes([{ key: 'costCenter', type: 'string' }]).map((a) => a.name);
    expect(Object.keys(toSourceUser(row({ custom: { costCenter: 'x' } }))).sort()).toEqual([...names].sort());
  });
});
