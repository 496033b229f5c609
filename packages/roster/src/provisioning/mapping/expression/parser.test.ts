import { describe, expect, it } from 'vitest';
import type { ExpressionNode } from './ast.ts';
import type { ExpressionErrorCode } from './errors.ts';
import { parseExpression } from './parser.ts';

/** The tree without offsets, in a compact form: calls as `Name(…)`, attributes as `[x]`, literals as JSON. */
function show(node: ExpressionNode): string {
  if (node.kind === 'literal') return JSON.stringify(node.value);
  if (node.kind === 'attribute') return `[${node.name}]`;
  return `${node.name}(${node.args.map(show).join(',')})`;
}

describe('parseExpression: valid expressions', () => {
  it.each([
    ['[givenName]', '[givenName]'],
    ['[ custom.costCenter ]', '[custom.costCenter]'],
    ['"hello"', '"hello"'],
    ['"say \\"hi\\" \\\\ now"', '"say \\"hi\\" \\\\ now"'],
    ['"tab\\there\\nline"', '"tab\\there\\nline"'],
    ['""', '""'],
    ['42', '42'],
    ['-3.5', '-3.5'],
    ['true', 'true'],
    ['FALSE', 'false'],
    ['Null', 'null'],
    ['Join(" ", [givenName], [familyName])', 'Join(" ",[givenName],[familyName])'],
    ['  toLower ( [email] )  ', 'toLower([email])'],
    ['IIF(IsNull([phone]), [mobile], [phone])', 'IIF(IsNull([phone]),[mobile],[phone])'],
    ['Switch([department], "Other", "Sales", "S", "Support", "T")', 'Switch([department],"Other","Sales","S","Support","T")'],
    ['Coalesce()', 'Coalesce()'],
    ['Join(",",\n  [a],\n  [b])', 'Join(",",[a],[b])'],
    ['"é ß 日本 😀"', '"é ß 日本 😀"'],
  ])('%s', (source, expected) => {
    const result = parseExpression(source);
    expect(result.ok ? show(result.value) : result.error.message).toBe(expected);
  });

  it('records the offset of every node', () => {
    const result = parseExpression('Join(" ", [a])');
    expect(result).toMatchObject({ ok: true, value: { offset: 0, args: [{ offset: 5 }, { offset: 10 }] } });
  });

  it('accepts calls nested 32 deep and refuses 33', () => {
    const nest = (n: number) => 'Trim('.repeat(n) + '"x"' + ')'.repeat(n);
    expect(parseExpression(nest(32)).ok).toBe(true);
    expect(parseExpression(nest(33))).toMatchObject({ ok: false, error: { code: 'too_deep', position: { column: 32 * 5 + 1 } } });
  });

  it('accepts 2,000 characters and refuses 2,001', () => {
    const body = (n: number) => `"${'a'.repeat(n - 2)}"`;
    expect(parseExpression(body(2000)).ok).toBe(true);
    expect(parseExpression(body(2001))).toMatchObject({ ok: false, error: { code: 'too_long', position: { column: 2001 } } });
  });
});

describe('parseExpression: errors name the kind and the column', () => {
  it.each<[string, ExpressionErrorCode, number, string]>([
    ['', 'empty', 1, 'empty expression'],
    ['   ', 'empty', 1, 'empty expression'],
    ['"abc', 'unterminated_string', 1, 'unterminated string starting at col 1; close it with "'],
    ['Join(" ", "abc)', 'unterminated_string', 11, 'unterminated string starting at col 11'],
    ['"a\\qb"', 'invalid_escape', 3, 'unknown escape \\q at col 3'],
    ['"a\\', 'invalid_escape', 3, 'unknown escape \\ at col 3'],
    ['[givenName', 'unterminated_attribute', 1, 'unterminated attribute reference at col 1'],
    ['[]', 'invalid_attribute', 1, 'empty attribute reference at col 1'],
    ['[given name]', 'invalid_attribute', 7, 'unexpected character " " in attribute name at col 7'],
    ["'abc'", 'unexpected_character', 1, "unexpected character \"'\" at col 1; strings use double quotes"],
    ['Join(" ", [a]) ]', 'unexpected_character', 16, 'unexpected character "]" at col 16; no attribute reference is open'],
    ['Left([a], 3x)', 'unexpected_character', 12, 'unexpected "x" after a number at col 12'],
    ['Join(" " [a])', 'unexpected_token', 10, 'unexpected attribute [a] at col 10; expected , or )'],
    ['Join(" ", [a]', 'unexpected_token', 14, 'missing ) to close Join( at col 14'],
    ['Join(" ", )', 'unexpected_token', 11, "unexpected ')' at col 11; expected a value"],
    ['Join(,)', 'unexpected_token', 6, "unexpected ',' at col 6; expected a value"],
    ['givenName', 'unexpected_token', 1, 'unexpected name givenName at col 1; write [givenName] for an attribute or givenName(…) for a function'],
    ['[a] [b]', 'unexpected_token', 5, 'unexpected attribute [b] after the end of the expression at col 5'],
    ['ToLower([a]))', 'unexpected_token', 13, "unexpected ')' after the end of the expression at col 13"],
    [')', 'unexpected_token', 1, "unexpected ')' at col 1; expected a value"],
    ['ToLower(', 'unexpected_token', 9, 'unexpected end of expression at col 9; expected a value'],
  ])('%j → %s at col %i', (source, code, column, message) => {
    const result = parseExpression(source);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code, position: { column, line: 1 } });
    expect(result.error.message).toContain(message);
  });

  it('gives line and column for an expression over several lines', () => {
    const result = parseExpression('Join(" ",\n  [a],\n  ?)');
    expect(result).toMatchObject({ ok: false, error: { code: 'unexpected_character', position: { line: 3, column: 3, offset: 19 } } });
    if (!result.ok) expect(result.error.message).toBe('unexpected character "?" at line 3, col 3');
  });
});
