import { describe, expect, it } from 'vitest';
import { type AttributeDefinition, coerceCustomValue, mergeCustomValues } from './custom-values.ts';

const defs = new Map<string, AttributeDefinition>([
  ['level', { key: 'level', type: 'number', enumValues: null, required: false }],
  ['remote', { key: 'remote', type: 'boolean', enumValues: null, required: false }],
  ['tier', { key: 'tier', type: 'enum', enumValues: ['gold', 'silver'], required: true }],
  ['hired', { key: 'hired', type: 'date', enumValues: null, required: false }],
]);

describe('custom attribute values', () => {
  it('coerces CSV spellings only when reading text', () => {
    expect(coerceCustomValue(defs.get('level')!, '42', true)).toEqual({ ok: true, value: 42 });
    expect(coerceCustomValue(defs.get('level')!, '42', false)).toMatchObject({ ok: false });
    expect(coerceCustomValue(defs.get('remote')!, 'Yes', true)).toEqual({ ok: true, value: true });
    expect(coerceCustomValue(defs.get('hired')!, '2023-02-29', false)).toMatchObject({ ok: false });
    expect(coerceCustomValue(defs.get('hired')!, '2024-02-29', false)).toEqual({ ok: true, value: '2024-02-29' });
  });

  it('merges, removes nulls and names every problem', () => {
    const r = mergeCustomValues(defs, { tier: 'gold', level: 1 }, { level: null, remote: true }, { prefix: 'body.custom' });
    expect(r).toEqual({ ok: true, value: { tier: 'gold', remote: true } });
    const bad = mergeCustomValues(defs, {}, { tier: 'bronze', other: 1 }, { prefix: 'body.custom' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.map((i) => i.path).sort()).toEqual(['body.custom.other', 'body.custom.tier']);
    const missing = mergeCustomValues(defs, {}, {}, { prefix: 'row' });
    expect(missing).toEqual({ ok: false, issues: [{ path: 'row.tier', reason: 'is required' }] });
  });
});
