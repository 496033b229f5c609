/**
 * Regexes of scoping filters (REGEX MATCH / NOT REGEX MATCH), compiled once per cycle and refused on
 * save when they could backtrack catastrophically. JavaScript has no regex timeout and Node 20 ships
 * no RE2, so the guard is static and conservative:
 *
 * - at most {@link MAX_PATTERN_LENGTH} characters;
 * - no back-references (`\1`, `\k<name>`): matching them is NP-hard in general;
 * - no quantified group that itself contains a quantifier or an alternation (`(a+)+`, `(a|ab)*`,
 *   `(\w+\s?)*`): "star height" one, which rules out the exponential cases; a quantifier directly on
 *   a single atom or class (`\d+`, `[a-z]{2,5}`) is fine.
 *
 * What is left backtracks at worst polynomially, and the values it runs on are short directory
 * attributes. Patterns are compiled without flags: case sensitive and unanchored (a search, as .NET's
 * `Regex.IsMatch` that Entra uses), and without the `u` flag so that Entra-style escapes such as
 * `\@` stay valid.
 */

export const MAX_PATTERN_LENGTH = 500;

export type RegexCheck = { ok: true; regex: RegExp } | { ok: false; reason: string };

export function compileSafeRegex(pattern: string): RegexCheck {
  if (pattern.length === 0) return { ok: false, reason: 'must be a regular expression, not empty' };
  if (pattern.length > MAX_PATTERN_LENGTH) return { ok: false, reason: `must be at most ${MAX_PATTERN_LENGTH} characters` };
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (e) {
    return { ok: false, reason: `does not compile: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}` };
  }
  const unsafe = unsafeConstruct(pattern);
  if (unsafe) return { ok: false, reason: `${unsafe}, which can make matching take exponential time; rewrite it without nesting (e.g. [a-z0-9.]+ instead of ([a-z0-9]+\\.?)+)` };
  return { ok: true, regex };
}

interface Frame {
  /** The group holds a quantifier or an alternation somewhere inside. */
  risky: boolean;
}

/** Scans a pattern that already compiled; returns why it is unsafe, or null. */
function unsafeConstruct(pattern: string): string | null {
  const stack: Frame[] = [];
  let inClass = false;
  let lastClosed: Frame | null = null; // the group that just closed, if the next token may quantify it
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(next) || next === 'k')) return 'it uses a back-reference';
      i++;
      lastClosed = null;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      lastClosed = null;
      continue;
    }
    if (c === '(') {
      stack.push({ risky: false });
      lastClosed = null;
      continue;
    }
    if (c === ')') {
      lastClosed = stack.pop() ?? null;
      if (lastClosed?.risky && stack.length) stack[stack.length - 1]!.risky = true;
      continue;
    }
    const quantifier = c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)));
    if (quantifier) {
      // `?` after `(` starts a group modifier, and after a quantifier makes it lazy: neither repeats anything.
      if (c === '?' && (pattern[i - 1] === '(' || '*+?}'.includes(pattern[i - 1] ?? ''))) continue;
      const repeats = c === '{' ? upperBound(pattern.slice(i)) > 1 : c !== '?';
      if (repeats && lastClosed?.risky) return 'it repeats a group that itself repeats or alternates';
      for (const f of stack) f.risky = true;
      if (c === '{') i = pattern.indexOf('}', i);
      lastClosed = null;
      continue;
    }
    if (c === '|') for (const f of stack) f.risky = true;
    lastClosed = null;
  }
  return null;
}

/** The most repetitions `{n}`, `{n,}` or `{n,m}` allows. */
function upperBound(braces: string): number {
  const m = /^\{(\d+)(,(\d*))?\}/.exec(braces)!;
  if (m[2] === undefined) return Number(m[1]);
  return m[3] === '' ? Infinity : Number(m[3]);
}
