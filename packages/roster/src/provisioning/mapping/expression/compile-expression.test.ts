import { describe, expect, it } from 'vitest';
import { createAttributeCatalog, sourceAttributes } from '../source-attributes.ts';
import { compileExpression } from './compile-expression.ts';
import type { ExpressionErrorCode } from './errors.ts';
import { functionSpecs } from './functions.ts';
import type { Value } from './values.ts';

const catalog = createAttributeCatalog(
  sourceAttributes([
    { key: 'costCenter', type: 'string' },
    { key: 'level', type: 'number' },
    { key: 'remote', type: 'boolean' },
    { key: 'start', type: 'date' },
  ]),
);

const alice = {
  id: 'u-1',
  email: 'Alice.Martin@Example.com',
  givenName: 'Alice',
  familyName: 'Martin',
  displayName: 'Alice Martin',
  phone: null,
  mobile: '+33 6 12 34 56 78',
  department: 'Sales',
  jobTitle: '',
  'custom.costCenter': 'CC-42',
  'custom.level': 3,
  'custom.remote': true,
};

function run(source: string, user: Record<string, Value> = alice): Value | string {
  const compiled = compileExpression(source, catalog);
  if (!compiled.ok) return `compile error: ${compiled.error.message}`;
  const result = compiled.value.evaluate(user);
  return result.ok ? result.value : `evaluation error: ${result.error.message}`;
}

const evaluationCases: [string, Value][] = [
    // references and literals
    ['[givenName]', 'Alice'],
    ['[GIVENNAME]', 'Alice'],
    ['[phone]', null],
    ['[location]', null],
    ['[custom.level]', 3],
    ['[custom.start]', null],
    ['"x"', 'x'],
    ['12', 12],
    ['null', null],
    // Join skips null and empty
    ['Join(" ", [givenName], [familyName])', 'Alice Martin'],
    ['Join(", ", [jobTitle], [department], [phone])', 'Sales'],
    ['Join("-", [phone], [location])', ''],
    ['Join(null, "a", "b")', 'ab'],
    ['Join("/", [custom.level], [custom.remote])', '3/true'],
    // Append
    ['Append([givenName], "!")', 'Alice!'],
    ['Append([phone], "x")', 'x'],
    ['Append([phone], [location])', null],
    // Coalesce: first non-empty, keeps the type
    ['Coalesce([phone], [mobile])', '+33 6 12 34 56 78'],
    ['Coalesce([jobTitle], [department])', 'Sales'],
    ['Coalesce([phone], [location])', null],
    ['Coalesce([phone], [custom.level])', 3],
    // case and spaces
    ['ToLower([email])', 'alice.martin@example.com'],
    ['ToUpper([givenName])', 'ALICE'],
    ['ToUpper("straße")', 'STRASSE'],
    ['ToLower("İ")', 'i̇'],
    ['ToLower([phone])', null],
    ['Trim("  a b  ")', 'a b'],
    ['StripSpaces([mobile])', '+33612345678'],
    // Replace: literal, every occurrence
    ['Replace([mobile], " ", "")', '+33612345678'],
    ['Replace("a.b.c", ".", "")', 'abc'],
    ['Replace("a+b", "+", "\\\\")', 'a\\b'],
    ['Replace("abc", "", "x")', 'abc'],
    ['Replace("abc", "b", null)', 'ac'],
    ['Replace([phone], "a", "b")', null],
    // Left / Right / Mid count code points
    ['Left([givenName], 3)', 'Ali'],
    ['Left([givenName], 0)', ''],
    ['Left([givenName], 99)', 'Alice'],
    ['Left("😀😁x", 2)', '😀😁'],
    ['Left([phone], 2)', null],
    ['Right([givenName], 2)', 'ce'],
    ['Right("a😀", 1)', '😀'],
    ['Right("abc", 0)', ''],
    ['Mid("abcdef", 2, 3)', 'bcd'],
    ['Mid("abc", 3, 10)', 'c'],
    ['Mid("abc", 9, 1)', ''],
    // Switch: text comparison, default, lazy
    ['Switch([department], "Other", "Sales", "S", "Support", "T")', 'S'],
    ['Switch([givenName], "Other", "Sales", "S")', 'Other'],
    ['Switch([custom.level], "?", "3", "three")', 'three'],
    ['Switch([phone], "none", "x", "y")', 'none'],
    ['Switch([phone], "none", null, "absent")', 'absent'],
    ['Switch("a", "d", "a", Left([givenName], 1), "b", Left([givenName], -1))', 'A'],
    // IIF and conditions
    ['IIF(IsNull([phone]), [mobile], [phone])', '+33 6 12 34 56 78'],
    ['IIF(IsPresent([jobTitle]), [jobTitle], "n/a")', 'n/a'],
    ['IIF(IsNullOrEmpty([jobTitle]), "empty", "set")', 'empty'],
    ['IIF(IsNull([jobTitle]), "null", "not null")', 'not null'],
    ['IIF([custom.remote], "remote", "office")', 'remote'],
    ['IIF(null, "yes", "no")', 'no'],
    ['IIF(Equals([department], "Sales"), "S", "-")', 'S'],
    ['IIF(Equals([department], "sales"), "S", "-")', '-'],
    ['IIF(Equals([custom.level], "3"), "L3", "-")', 'L3'],
    ['Equals([phone], null)', true],
    ['Equals([phone], "")', false],
    ['Not(IsNull([givenName]))', true],
    ['And(IsPresent([givenName]), IsPresent([familyName]))', true],
    ['And(IsPresent([givenName]), IsPresent([phone]))', false],
    ['Or(IsPresent([phone]), IsPresent([mobile]))', true],
    ['Or(IsPresent([phone]), IsPresent([location]))', false],
    ['IIF(IsPresent([phone]), Left([phone], -1), "lazy")', 'lazy'],
    // NormalizeDiacritics
    ['NormalizeDiacritics("Zoë Łukasz Ørsted Straße Æsir Þór Đorđe")', 'Zoe Lukasz Orsted Strasse AEsir Thor Dorde'],
    ['NormalizeDiacritics("Crème Brûlée, ñandú, Ångström, Dvořák")', 'Creme Brulee, nandu, Angstrom, Dvorak'],
    ['NormalizeDiacritics("e\u0301")', 'e'],
    ['NormalizeDiacritics("नमस्ते 日本 한국 😀")', 'नमस्ते 日本 한국 😀'],
    ['NormalizeDiacritics("plain ascii")', 'plain ascii'],
    ['NormalizeDiacritics([phone])', null],
    // case-insensitive names, composition
    ['join(".", tolower(NormalizeDiacritics("Zoë")), TOLOWER([familyName]))', 'zoe.martin'],
    ['Left(ToLower(Join("", Left([givenName], 1), [familyName])), 20)', 'amartin'],
];

describe('evaluation of every function', () => {
  it.each(evaluationCases)('%s → %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it('offers the functions the issue names, each with a case above', () => {
    const names = functionSpecs.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['Join', 'Coalesce', 'ToLower', 'ToUpper', 'Replace', 'Left', 'Switch', 'IIF', 'NormalizeDiacritics', 'Append', 'Trim', 'Mid']));
    const untested = names.filter((name) => !evaluationCases.some(([source]) => source.startsWith(`${name}(`) || source.includes(`(${name}(`) || source.includes(` ${name}(`)));
    expect(untested).toEqual([]);
  });
});

describe('compile errors carry the kind and the column', () => {
  it.each<[string, ExpressionErrorCode, number, string]>([
    ['Jion(" ", [a])', 'unknown_function', 1, 'unknown function Jion at col 1; did you mean Join?'],
    ['ToLowr([email])', 'unknown_function', 1, 'did you mean ToLower?'],
    ['Frobnicate([email])', 'unknown_function', 1, 'unknown function Frobnicate at col 1'],
    ['Join(" ", [givenNme])', 'unknown_attribute', 11, 'unknown attribute [givenNme] at col 11; did you mean [givenName]?'],
    ['[custom.nope]', 'unknown_attribute', 1, 'custom attributes are written [custom.<key>]'],
    ['Left([givenName])', 'arity', 1, 'Left takes 2 arguments, got 1 at col 1; use Left(source, count)'],
    ['ToLower([a], [b])'.replace('[a], [b]', '[email], [email]'), 'arity', 1, 'ToLower takes 1 argument, got 2'],
    ['Join(" ")', 'arity', 1, 'Join takes at least 2 arguments, got 1'],
    ['Coalesce()', 'arity', 1, 'Coalesce takes at least 1 argument, got 0'],
    ['Switch([department], "x", "Sales")', 'arity', 1, 'Switch takes at least 4 arguments, got 3'],
    ['Switch([department], "x", "Sales", "S", "Other")', 'arity', 1, 'Switch takes the source, a default, then key/value pairs, got 5'],
    ['Left([givenName], "3")', 'type', 19, 'argument 2 of Left must be a number, not a string at col 19'],
    ['Left([givenName], [department])', 'type', 19, 'argument 2 of Left must be a number, not a string'],
    ['IIF([givenName], "a", "b")', 'type', 5, 'argument 1 of IIF must be a boolean, not a string'],
    ['IIF(ToLower([email]), 1, 2)', 'type', 5, 'argument 1 of IIF must be a boolean'],
    ['Not([custom.level])', 'type', 5, 'argument 1 of Not must be a boolean, not a number'],
    ['Left("abc", -1)', 'type', 13, 'Left: count must be a whole number of at least 0, got number -1 at col 13'],
    ['Mid("abc", 0, 1)', 'type', 12, 'Mid: start must be a whole number of at least 1'],
    ['Left("abc", 1.5)', 'type', 13, 'count must be a whole number'],
  ])('%s → %s', (source, code, column, message) => {
    const compiled = compileExpression(source, catalog);
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.error).toMatchObject({ code, position: { column } });
    expect(compiled.error.message).toContain(message);
  });

  it('folds attribute-free subtrees at compile time', () => {
    const compiled = compileExpression('Join(" ", ToUpper("a"), [givenName])', catalog);
    expect(compiled.ok && compiled.value.attributes).toEqual(['givenName']);
    const constant = compileExpression('ToUpper("abc")', catalog);
    expect(constant.ok && constant.value.type).toBe('string');
  });
});

describe('evaluation errors', () => {
  it.each<[string, Record<string, Value>, ExpressionErrorCode, number, string]>([
    ['Left([givenName], [custom.level])', { givenName: 'Al', 'custom.level': -2 }, 'type', 19, 'Left: count must be a whole number of at least 0, got number -2 at col 19'],
    ['Left([givenName], [custom.level])', { givenName: 'Al', 'custom.level': null }, 'type', 19, 'got null'],
    // A custom value stored with a different type than its definition now says.
    ['Left([givenName], [custom.level])', { givenName: 'Al', 'custom.level': 'x' }, 'type', 19, 'got the string "x"'],
    ['IIF([custom.remote], 1, 2)', { 'custom.remote': 'yes' }, 'type', 5, 'IIF: expects a condition (true or false), got the string "yes"'],
    ['Replace([givenName], "a", [familyName])', { givenName: 'a'.repeat(100), familyName: 'b'.repeat(101) }, 'type', 1, 'Replace: would produce more than 10000 characters'],
    ['Join([familyName], [givenName], [givenName])', { givenName: 'a'.repeat(5000), familyName: 'x' }, 'result_too_long', 1, 'Join produced 10001 characters, more than 10000'],
  ])('%s with %j', (source, user, code, column, message) => {
    const compiled = compileExpression(source, catalog);
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    const result = compiled.value.evaluate(user);
    expect(result).toMatchObject({ ok: false, error: { code, position: { column } } });
    if (!result.ok) expect(result.error.message).toContain(message);
  });

  it('allows exactly 10,000 characters', () => {
    const compiled = compileExpression('Join("", [givenName], [familyName])', catalog);
    const result = compiled.ok ? compiled.value.evaluate({ givenName: 'a'.repeat(5000), familyName: 'b'.repeat(5000) }) : null;
    expect(result?.ok && (result.value as string).length).toBe(10_000);
  });
});
