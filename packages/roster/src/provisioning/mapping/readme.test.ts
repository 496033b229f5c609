import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeFunctions } from './expression/functions.ts';

describe('README.md', () => {
  it('documents every function of the expression language by its signature', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const missing = describeFunctions().filter((f) => !readme.includes(`\`${f.signature}\``));
    expect(missing).toEqual([]);
  });
});
