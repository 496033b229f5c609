import { describe, expect, it } from 'vitest';
import type { TargetField } from '../../connectors/contract.ts';
import type { Value } from './expression/values.ts';
import { type TargetValue, toTargetValue } from './target-values.ts';

const field = (type: TargetField['type'], enumValues?: string[]) => ({ type, ...(enumValues ? { enumValues } : {}) });

describe('toTargetValue', () => {
  it.each<[TargetField['type'], Value, TargetValue | { refused: string }]>([
    ['string', 'Alice', 'Alice'],
    ['string', '', null],
    ['string', null, null],
    ['string', 42, '42'],
    ['string', false, 'false'],
    ['number', 3, 3],
    ['number', ' 12.5 ', 12.5],
    ['number', '-7', -7],
    ['number', '', null],
    ['number', '1e3', { refused: 'must be a number, got the string "1e3"' }],
    ['number', true, { refused: 'must be a number, got boolean true' }],
    ['boolean', true, true],
    ['boolean', 'False', false],
    ['boolean', 'yes', { refused: 'must be true or false, got the string "yes"' }],
    ['boolean', 0, { refused: 'must be true or false, got number 0' }],
    ['date', '2024-02-29', '2024-02-29'],
    ['date', '2024-02-29T10:00:00Z', '2024-02-29T10:00:00Z'],
    ['date', '2023-02-29', { refused: 'must be a date as YYYY-MM-DD, got the string "2023-02-29"' }],
    ['date', '29/02/2024', { refused: 'must be a date as YYYY-MM-DD, got the string "29/02/2024"' }],
    ['date', 20240229, { refused: 'must be a date as YYYY-MM-DD, got number 20240229' }],
    ['string[]', 'vip  staff,emea', ['vip', 'staff', 'emea']],
    ['string[]', null, []],
    ['string[]', '', []],
    ['string[]', 7, ['7']],
  ])('%s ← %j', (type, value, expected) => {
    const refused = expected !== null && typeof expected === 'object' && !Array.isArray(expected);
    expect(toTargetValue(value, field(type))).toEqual(refused ? { ok: false, error: expected.refused } : { ok: true, value: expected });
  });

  it('checks enum values when the target lists them', () => {
    expect(toTargetValue('gold', field('enum', ['gold', 'silver']))).toEqual({ ok: true, value: 'gold' });
    expect(toTargetValue('Gold', field('enum', ['gold']))).toEqual({ ok: false, error: 'must be one of gold, got the string "Gold"' });
    expect(toTargetValue('anything', field('enum'))).toEqual({ ok: true, value: 'anything' });
  });
});
