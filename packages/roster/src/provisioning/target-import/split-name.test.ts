import { describe, expect, it } from 'vitest';
import { splitName } from './split-name.ts';

describe('splitName', () => {
  it.each([
    ['Ada Lovelace', 'Ada', 'Lovelace'],
    ['  Mary   Ann Smith ', 'Mary Ann', 'Smith'],
    ['Ludwig van Beethoven', 'Ludwig', 'van Beethoven'],
    ['Maria de la Cruz', 'Maria', 'de la Cruz'],
    ['Lovelace, Ada', 'Ada', 'Lovelace'],
    ['Cher', 'Cher', null],
    ['ada@example.com', 'ada@example.com', null],
    ['van Dyke', 'van', 'Dyke'],
  ])('%s → %s / %s', (name, given, family) => {
    expect(splitName(name)).toEqual({ givenName: given, familyName: family });
  });

  it('an empty name gives no parts', () => {
    expect(splitName('')).toEqual({ givenName: null, familyName: null });
    expect(splitName(null)).toEqual({ givenName: null, familyName: null });
  });
});
