import { describe, expect, it } from 'vitest';
import { BUILT_IN_FIELDS } from './catalog.ts';

describe('Zendesk built-in fields', () => {
  it('marks the fields Zendesk refuses to empty as not clearable, so the plan keeps them instead of sending null', () => {
    const unclearable = BUILT_IN_FIELDS.filter((f) => f.clearable === false).map((f) => f.key);
    expect(unclearable).toEqual(['time_zone', 'locale']);
    expect(BUILT_IN_FIELDS.find((f) => f.key === 'phone')?.clearable).toBeUndefined();
  });
});
