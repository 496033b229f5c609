import { describe, expect, it } from 'vitest';
import { MAX_PATTERN_LENGTH, compileSafeRegex } from './safe-regex.ts';

describe('compileSafeRegex', () => {
  it.each(['.*\\@domain\\.com', '([1-9][0-9])', '(1[0-9][0-9][0-9][0-9][0-9][0-9])', '^[a-z0-9.]+@example\\.(com|org)$', '\\d{3}-\\d{4}', '(?:ab)+', '(ab)?c', '(a+)?b', '[(+*]+', 'a{1}', '(a|b){1}', '(?<name>x)y', '(a+)(b+)'])('accepts %s', (p) => {
    expect(compileSafeRegex(p).ok).toBe(true);
  });

  it.each([
    ['(', /does not compile/],
    ['[a-', /does not compile/],
    ['a**', /does not compile/],
    ['', /not empty/],
    ['x'.repeat(MAX_PATTERN_LENGTH + 1), /at most 500/],
    ['(a+)+$', /repeats a group/],
    ['(a*)*', /repeats a group/],
    ['(a|ab)*c', /repeats a group/],
    ['([a-z]+\\.?)+@', /repeats a group/],
    ['(\\w+\\s?){2,}', /repeats a group/],
    ['((a)+b)+', /repeats a group/],
    ['(?:x+y)*', /repeats a group/],
    ['(a)\\1', /back-reference/],
    ['(?<n>a)\\k<n>', /back-reference/],
  ])('refuses %s', (p, reason) => {
    const r = compileSafeRegex(p);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('a refused pattern would have backtracked catastrophically; an accepted one stays fast on the same input', () => {
    const input = `${'a'.repeat(5_000)}!`;
    const safe = compileSafeRegex('^a+$');
    expect(safe.ok).toBe(true);
    const started = performance.now();
    if (safe.ok) expect(safe.regex.test(input)).toBe(false);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
