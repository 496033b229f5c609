/**
 * Splits a mapping expression into tokens. The syntax follows Entra ID's attribute-mapping
 * expressions: `Join(" ", [givenName], [familyName])`, string literals in double quotes with `\"`,
 * `\\`, `\n` and `\t` escapes, numbers, `true` / `false` / `null`, and `[attribute]` references.
 * https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data
 */
import type { Result } from '../../../errors/result.ts';
import { type ExpressionError, expressionError } from './errors.ts';

export type Token =
  | { kind: 'name'; text: string; offset: number }
  | { kind: 'attribute'; name: string; offset: number }
  | { kind: 'string'; value: string; offset: number }
  | { kind: 'number'; value: number; offset: number }
  | { kind: '(' | ')' | ','; offset: number }
  | { kind: 'end'; offset: number };

/** Longest expression accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 2_000;

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };

const isDigit = (c: string) => c >= '0' && c <= '9';
const isNameStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isNamePart = (c: string) => isNameStart(c) || isDigit(c);
const isAttributePart = (c: string) => isNamePart(c) || c === '.' || c === '-';
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

export function tokenize(source: string): Result<Token[], ExpressionError> {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    return { ok: false, error: expressionError('too_long', source, MAX_EXPRESSION_LENGTH, `expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, 'it is cut off') };
  }
  const tokens: Token[] = [];
  let i = 0;
  const fail = (code: ExpressionError['code'], offset: number, what: string, hint?: string) => ({ ok: false as const, error: expressionError(code, source, offset, what, hint) });
  while (i < source.length) {
    const c = source[i]!;
    if (isSpace(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, offset: i });
      i++;
    } else if (c === '"') {
      const start = i++;
      let value = '';
      for (;;) {
        if (i >= source.length) return fail('unterminated_string', start, 'unterminated string starting', 'close it with "');
        const d = source[i]!;
        if (d === '"') break;
        if (d === '\\') {
          const escaped = ESCAPES[source[i + 1] ?? ''];
          if (escaped === undefined) return fail('invalid_escape', i, `unknown escape \\${source[i + 1] ?? ''}`, 'use \\" for a quote and \\\\ for a backslash');
          value += escaped;
          i += 2;
        } else {
          value += d;
          i++;
        }
      }
      tokens.push({ kind: 'string', value, offset: start });
      i++;
    } else if (c === '[') {
      const start = i++;
      const close = source.indexOf(']', i);
      if (close < 0) return fail('unterminated_attribute', start, 'unterminated attribute reference', 'close it with ]');
      const name = source.slice(i, close).trim();
      if (name === '') return fail('invalid_attribute', start, 'empty attribute reference', 'name an attribute, e.g. [givenName]');
      const bad = [...name].findIndex((ch) => !isAttributePart(ch));
      if (bad >= 0) {
        return fail('invalid_attribute', source.indexOf(name, i) + bad, `unexpected character ${JSON.stringify(name[bad])} in attribute name`, 'attribute names use letters, digits, _ and .');
      }
      tokens.push({ kind: 'attribute', name, offset: start });
      i = close + 1;
    } else if (isDigit(c) || (c === '-' && isDigit(source[i + 1] ?? ''))) {
      const start = i++;
      while (i < source.length && isDigit(source[i]!)) i++;
      if (source[i] === '.' && isDigit(source[i + 1] ?? '')) {
        i++;
        while (i < source.length && isDigit(source[i]!)) i++;
      }
      if (i < source.length && isNamePart(source[i]!)) return fail('unexpected_character', i, `unexpected ${JSON.stringify(source[i])} after a number`);
      tokens.push({ kind: 'number', value: Number(source.slice(start, i)), offset: start });
    } else if (isNameStart(c)) {
      const start = i++;
      while (i < source.length && isNamePart(source[i]!)) i++;
      tokens.push({ kind: 'name', text: source.slice(start, i), offset: start });
    } else {
      const hint = c === "'" ? 'strings use double quotes' : c === ']' ? 'no attribute reference is open' : undefined;
      return fail('unexpected_character', i, `unexpected character ${JSON.stringify(c)}`, hint);
    }
  }
  tokens.push({ kind: 'end', offset: source.length });
  return { ok: true, value: tokens };
}
