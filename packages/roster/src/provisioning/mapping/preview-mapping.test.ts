import { describe, expect, it } from 'vitest';
import type { TargetField } from '../../connectors/contract.ts';
import type { FieldMapping } from '../config/settings-schema.ts';
import { previewMapping } from './preview-mapping.ts';
import { sourceAttributes } from './source-attributes.ts';

const targetFields: TargetField[] = [
  { key: 'name', label: 'Name', type: 'string', custom: false, required: true },
  { key: 'user_fields.level', label: 'Level', type: 'number', custom: true },
];
const catalog = { targetFields, sourceAttributes: sourceAttributes([{ key: 'level', type: 'string' }]) };
const sample = { givenName: 'Zoë', familyName: 'Ørsted', 'custom.level': 'five' };

const expression = (target: string, text: string): FieldMapping => ({ target, source: { kind: 'expression', expression: text }, apply: 'always' });

describe('previewMapping', () => {
  it.each<[string, FieldMapping, ReturnType<typeof previewMapping>]>([
    [
      'an expression, with the values it read',
      expression('name', 'NormalizeDiacritics(Join(" ", [givenName], [familyName]))'),
      { value: 'Zoe Orsted', error: null, inputs: { givenName: 'Zoë', familyName: 'Ørsted' } },
    ],
    ['an attribute', { target: 'name', source: { kind: 'attribute', attribute: 'givenName' }, apply: 'always' }, { value: 'Zoë', error: null, inputs: { givenName: 'Zoë' } }],
    ['a constant', { target: 'user_fields.level', source: { kind: 'constant', value: 3 }, apply: 'on_create' }, { value: 3, error: null, inputs: {} }],
    ['an attribute the sample lacks', { target: 'name', source: { kind: 'attribute', attribute: 'jobTitle' }, apply: 'always' }, { value: null, error: null, inputs: { jobTitle: null } }],
    [
      'a syntax error with its position',
      expression('name', 'Join(" ", [givenName]'),
      { value: null, error: { path: 'source.expression', reason: 'missing ) to close Join( at col 22', position: { offset: 21, line: 1, column: 22 } }, inputs: {} },
    ],
    [
      'an evaluation error with its position',
      expression('name', 'Left([givenName], -1)'),
      {
        value: null,
        error: { path: 'source.expression', reason: 'Left: count must be a whole number of at least 0, got number -1 at col 19', position: { offset: 18, line: 1, column: 19 } },
        inputs: { givenName: 'Zoë' },
      },
    ],
    [
      'a value the target field cannot take',
      expression('user_fields.level', '[custom.level]'),
      { value: null, error: { path: 'source.expression', reason: 'must be a number, got the string "five"' }, inputs: { 'custom.level': 'five' } },
    ],
    [
      'an attribute value the target field cannot take',
      { target: 'user_fields.level', source: { kind: 'attribute', attribute: 'custom.level' }, apply: 'always' },
      { value: null, error: { path: 'source.attribute', reason: 'must be a number, got the string "five"' }, inputs: { 'custom.level': 'five' } },
    ],
    ['an unknown target', expression('nmae', '[givenName]'), { value: null, error: { path: 'target', reason: 'is not a field of the target; did you mean name?' }, inputs: {} }],
    [
      'a constant of the wrong type',
      { target: 'user_fields.level', source: { kind: 'constant', value: 'x' }, apply: 'always' },
      { value: null, error: { path: 'source.value', reason: 'must be a number, got the string "x" (user_fields.level is of type number)' }, inputs: {} },
    ],
  ])('%s', (_case, mapping, expected) => {
    expect(previewMapping(mapping, sample, catalog)).toEqual(expected);
  });
});
