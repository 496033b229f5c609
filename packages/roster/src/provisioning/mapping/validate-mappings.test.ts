import { describe, expect, it } from 'vitest';
import type { TargetField } from '../../connectors/contract.ts';
import type { FieldMapping } from '../config/settings-schema.ts';
import { sourceAttributes } from './source-attributes.ts';
import { validateMappings } from './validate-mappings.ts';

const fields: TargetField[] = [
  { key: 'name', label: 'Name', type: 'string', custom: false, required: true },
  { key: 'email', label: 'Primary email', type: 'string', custom: false, matchable: true },
  { key: 'external_id', label: 'External ID', type: 'string', custom: false, matchable: true },
  { key: 'phone', label: 'Phone', type: 'string', custom: false },
  { key: 'tags', label: 'Tags', type: 'string[]', custom: false },
  { key: 'user_fields.seats', label: 'Seats', type: 'number', custom: true },
  { key: 'user_fields.vip', label: 'VIP', type: 'boolean', custom: true },
  { key: 'user_fields.plan', label: 'Plan', type: 'enum', custom: true, enumValues: ['gold', 'silver'] },
  { key: 'user_fields.since', label: 'Since', type: 'date', custom: true },
];
const attributes = sourceAttributes([
  { key: 'costCenter', type: 'string' },
  { key: 'remote', type: 'boolean' },
]);

const attr = (target: string, attribute: string, apply: FieldMapping['apply'] = 'always'): FieldMapping => ({ target, source: { kind: 'attribute', attribute }, apply });
const constant = (target: string, value: string | number | boolean | null): FieldMapping => ({ target, source: { kind: 'constant', value }, apply: 'always' });
const expr = (target: string, expression: string): FieldMapping => ({ target, source: { kind: 'expression', expression }, apply: 'always' });

const valid: FieldMapping[] = [attr('name', 'displayName'), attr('email', 'email'), attr('external_id', 'id')];

describe('validateMappings', () => {
  it('accepts a complete configuration', () => {
    const mappings = [
      ...valid,
      expr('phone', 'Coalesce([phone], [mobile])'),
      constant('tags', 'staff roster'),
      expr('user_fields.seats', 'Switch([custom.costCenter], 1, "CC-1", 5)'),
      constant('user_fields.vip', 'TRUE'),
      constant('user_fields.plan', 'gold'),
      constant('user_fields.since', '2024-02-29'),
    ];
    expect(validateMappings(mappings, ['external_id', 'email'], fields, attributes)).toEqual([]);
  });

  it.each<[string, FieldMapping[], string[], { path: string; reason: string }[]]>([
    ['unknown target field', [...valid, attr('phon', 'phone')], ['email'], [{ path: 'body.mappings.3.target', reason: 'is not a field of the target; did you mean phone?' }]],
    ['unknown target field, nothing near', [...valid, attr('favourite_colour', 'phone')], ['email'], [{ path: 'body.mappings.3.target', reason: 'is not a field of the target' }]],
    [
      'duplicate target',
      [...valid, attr('phone', 'phone'), attr('phone', 'mobile')],
      ['email'],
      [{ path: 'body.mappings.4.target', reason: 'phone is already mapped by mappings.3; a field takes one mapping' }],
    ],
    ['unknown attribute', [...valid, attr('phone', 'phne')], ['email'], [{ path: 'body.mappings.3.source.attribute', reason: 'is not a directory attribute; did you mean phone?' }]],
    ['unknown custom attribute', [...valid, attr('phone', 'custom.nothing')], ['email'], [{ path: 'body.mappings.3.source.attribute', reason: 'is not a directory attribute' }]],
    ['expression error with its column', [...valid, expr('phone', 'Coalesce([phone], [mobil])')], ['email'], [{ path: 'body.mappings.3.source.expression', reason: 'unknown attribute [mobil] at col 19; did you mean [mobile]?' }]],
    ['expression syntax error', [...valid, expr('phone', 'Join(" ", [a]')], ['email'], [{ path: 'body.mappings.3.source.expression', reason: 'missing ) to close Join( at col 14' }]],
    ['constant of the wrong type: number', [...valid, constant('user_fields.seats', 'many')], ['email'], [{ path: 'body.mappings.3.source.value', reason: 'must be a number, got the string "many" (user_fields.seats is of type number)' }]],
    ['constant of the wrong type: boolean', [...valid, constant('user_fields.vip', 1)], ['email'], [{ path: 'body.mappings.3.source.value', reason: 'must be true or false, got number 1 (user_fields.vip is of type boolean)' }]],
    ['constant outside the enum', [...valid, constant('user_fields.plan', 'bronze')], ['email'], [{ path: 'body.mappings.3.source.value', reason: 'must be one of gold, silver, got the string "bronze" (user_fields.plan is of type enum)' }]],
    ['constant that is not a date', [...valid, constant('user_fields.since', '2024-13-45')], ['email'], [{ path: 'body.mappings.3.source.value', reason: 'must be a date as YYYY-MM-DD, got the string "2024-13-45" (user_fields.since is of type date)' }]],
    [
      'attribute whose type never fits the target',
      [...valid, attr('user_fields.seats', 'custom.remote')],
      ['email'],
      [{ path: 'body.mappings.3.source.attribute', reason: 'custom.remote gives a boolean, and user_fields.seats takes a number' }],
    ],
    [
      'expression whose type never fits the target',
      [...valid, expr('user_fields.since', 'IsPresent([phone])')],
      ['email'],
      [{ path: 'body.mappings.3.source.expression', reason: 'the expression gives a boolean, and user_fields.since takes a date' }],
    ],
    ['required target unmapped', [attr('email', 'email'), attr('external_id', 'id')], ['email'], [{ path: 'body.mappings', reason: 'must map name (Name): the target requires it' }]],
    ['matching attribute not mapped', [attr('name', 'displayName'), attr('email', 'email')], ['external_id', 'email'], [{ path: 'body.matching.0', reason: 'external_id is not mapped; map it or remove it from matching' }]],
    ['matching attribute not matchable', valid, ['name'], [{ path: 'body.matching.0', reason: 'name cannot be used to find an existing account; use email or external_id' }]],
    ['matching attribute unknown', valid, ['email', 'employee_no'], [{ path: 'body.matching.1', reason: 'employee_no is not a field of the target' }]],
    ['matching attribute twice', valid, ['email', 'email'], [{ path: 'body.matching.1', reason: 'email is listed twice' }]],
    [
      'on_create on a matching attribute',
      [attr('name', 'displayName'), attr('email', 'email', 'on_create'), attr('external_id', 'id')],
      ['external_id', 'email'],
      [{ path: 'body.mappings.1.apply', reason: 'must be always: email is a matching attribute, and matching needs its current value' }],
    ],
  ])('%s', (_case, mappings, matching, expected) => {
    expect(validateMappings(mappings, matching, fields, attributes)).toEqual(expected);
  });

  it('names every problem at once, under the given path', () => {
    const issues = validateMappings([attr('email', 'mail'), expr('phone', 'Lft([phone], 2)')], ['external_id'], fields, attributes, { path: 'body.settings' });
    expect(issues.map((i) => i.path)).toEqual(['body.settings.mappings.0.source.attribute', 'body.settings.mappings.1.source.expression', 'body.settings.mappings', 'body.settings.matching.0']);
    expect(issues[1]?.reason).toBe('unknown function Lft at col 1; did you mean Left?');
  });

  it('accepts types that fit for some values, leaving the check to each user', () => {
    const mappings = [...valid, attr('user_fields.seats', 'custom.costCenter'), attr('user_fields.vip', 'custom.remote'), expr('user_fields.plan', 'Coalesce([custom.costCenter], 1)')];
    expect(validateMappings(mappings, ['email'], fields, attributes)).toEqual([]);
  });

  it('accepts on_create on a field that is not matched', () => {
    expect(validateMappings([...valid, attr('phone', 'phone', 'on_create')], ['external_id', 'email'], fields, attributes)).toEqual([]);
  });
});
