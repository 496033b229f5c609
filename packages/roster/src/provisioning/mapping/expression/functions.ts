/**
 * The functions of the mapping language (names are case-insensitive). Modelled on Entra ID's
 * attribute-mapping functions, https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data
 *
 * Parameter types: a `string` parameter takes any value (numbers and booleans print as text, null
 * stays null); a `number` parameter takes a number (or null where stated); a `boolean` parameter
 * takes true, false or null (null counts as false). Conditions for IIF are built from IsNull,
 * IsNullOrEmpty, IsPresent, Equals, Not, And and Or.
 */
import type { SourceUser } from '../source-attributes.ts';
import { normalizeDiacritics } from './normalize-diacritics.ts';
import { type Value, type ValueType, describeValue, isEmpty, toText } from './values.ts';

export type Thunk = (user: SourceUser) => Value;

/** What a function sees of its call: lazy arguments, and a way to fail pointing at one of them. */
export interface CallContext {
  readonly args: readonly Thunk[];
  /** Ends evaluation with a type error at argument `index` (or at the call). */
  fail(message: string, index?: number): never;
}

export interface FunctionSpec {
  name: string;
  signature: string;
  summary: string;
  /** Types of the leading parameters; further arguments have type `rest`. */
  params: readonly ValueType[];
  rest?: ValueType;
  min: number;
  max: number;
  /** An extra arity rule beyond min/max, answering the problem or undefined. */
  arityRule?: (count: number) => string | undefined;
  returns: ValueType;
  evaluate(call: CallContext, user: SourceUser): Value;
}

/** Longest string any function may produce. */
export const MAX_RESULT_LENGTH = 10_000;

const text = (call: CallContext, user: SourceUser, i: number): string | null => toText(call.args[i]!(user));

function integer(call: CallContext, user: SourceUser, i: number, what: string, min: number): number {
  const value = call.args[i]!(user);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    return call.fail(`${what} must be a whole number of at least ${min}, got ${describeValue(value)}`, i);
  }
  return value;
}

function condition(call: CallContext, user: SourceUser, i: number): boolean {
  const value = call.args[i]!(user);
  if (value === null) return false;
  if (typeof value !== 'boolean') return call.fail(`expects a condition (true or false), got ${describeValue(value)}`, i);
  return value;
}

/** Code points, so a cut never splits an emoji or another astral character in half. */
const codePoints = (s: string): string[] => Array.from(s);

const pairsRule = (count: number) => (count % 2 === 0 ? undefined : 'takes the source, a default, then key/value pairs');

const specs: FunctionSpec[] = [
  {
    name: 'Join',
    signature: 'Join(separator, value1, value2, …)',
    summary: 'Joins the values with the separator, skipping null and empty values.',
    params: ['string'],
    rest: 'string',
    min: 2,
    max: Infinity,
    returns: 'string',
    evaluate(call, user) {
      const separator = text(call, user, 0) ?? '';
      const parts: string[] = [];
      for (let i = 1; i < call.args.length; i++) {
        const part = text(call, user, i);
        if (part !== null && part !== '') parts.push(part);
      }
      return parts.join(separator);
    },
  },
  {
    name: 'Append',
    signature: 'Append(source, suffix)',
    summary: 'The source followed by the suffix; a null side counts as empty, both null is null.',
    params: ['string', 'string'],
    min: 2,
    max: 2,
    returns: 'string',
    evaluate(call, user) {
      const a = text(call, user, 0);
      const b = text(call, user, 1);
      return a === null && b === null ? null : (a ?? '') + (b ?? '');
    },
  },
  {
    name: 'Coalesce',
    signature: 'Coalesce(value1, value2, …)',
    summary: 'The first value that is neither null nor empty; null when there is none.',
    params: [],
    rest: 'any',
    min: 1,
    max: Infinity,
    returns: 'any',
    evaluate(call, user) {
      for (const arg of call.args) {
        const value = arg(user);
        if (!isEmpty(value)) return value;
      }
      return null;
    },
  },
  stringFunction('ToLower', 'The text in lower case.', (s) => s.toLowerCase()),
  stringFunction('ToUpper', 'The text in upper case.', (s) => s.toUpperCase()),
  stringFunction('Trim', 'The text without leading and trailing white space.', (s) => s.trim()),
  stringFunction('StripSpaces', 'The text without any white space.', (s) => s.replace(/\s+/gu, '')),
  stringFunction('NormalizeDiacritics', 'The text without accents: é → e, ß → ss, ø → o.', normalizeDiacritics),
  {
    name: 'Replace',
    signature: 'Replace(source, find, replacement)',
    summary: 'Replaces every occurrence of find (plain text, case-sensitive) with replacement.',
    params: ['string', 'string', 'string'],
    min: 3,
    max: 3,
    returns: 'string',
    evaluate(call, user) {
      const source = text(call, user, 0);
      const find = text(call, user, 1);
      if (source === null || find === null || find === '') return source;
      const replacement = text(call, user, 2) ?? '';
      const count = source.split(find).length - 1;
      // Checked before building: a short input could otherwise allocate a huge string first.
      if (source.length + count * (replacement.length - find.length) > MAX_RESULT_LENGTH) {
        return call.fail(`would produce more than ${MAX_RESULT_LENGTH} characters`);
      }
      return source.replaceAll(find, replacement);
    },
  },
  {
    name: 'Left',
    signature: 'Left(source, count)',
    summary: 'The first count characters.',
    params: ['string', 'number'],
    min: 2,
    max: 2,
    returns: 'string',
    evaluate(call, user) {
      const count = integer(call, user, 1, 'count', 0);
      const source = text(call, user, 0);
      return source === null ? null : codePoints(source).slice(0, count).join('');
    },
  },
  {
    name: 'Right',
    signature: 'Right(source, count)',
    summary: 'The last count characters.',
    params: ['string', 'number'],
    min: 2,
    max: 2,
    returns: 'string',
    evaluate(call, user) {
      const count = integer(call, user, 1, 'count', 0);
      const source = text(call, user, 0);
      return source === null ? null : count === 0 ? '' : codePoints(source).slice(-count).join('');
    },
  },
  {
    name: 'Mid',
    signature: 'Mid(source, start, length)',
    summary: 'length characters from position start (the first character is 1).',
    params: ['string', 'number', 'number'],
    min: 3,
    max: 3,
    returns: 'string',
    evaluate(call, user) {
      const start = integer(call, user, 1, 'start', 1);
      const length = integer(call, user, 2, 'length', 0);
      const source = text(call, user, 0);
      return source === null ? null : codePoints(source).slice(start - 1, start - 1 + length).join('');
    },
  },
  {
    name: 'Switch',
    signature: 'Switch(source, default, key1, value1, key2, value2, …)',
    summary: 'The value paired with the first key equal to source (as text, case-sensitive); default when none is.',
    params: ['string', 'any'],
    rest: 'any',
    min: 4,
    max: Infinity,
    arityRule: pairsRule,
    returns: 'any',
    evaluate(call, user) {
      const source = text(call, user, 0);
      for (let i = 2; i < call.args.length; i += 2) {
        if (text(call, user, i) === source) return call.args[i + 1]!(user);
      }
      return call.args[1]!(user);
    },
  },
  {
    name: 'IIF',
    signature: 'IIF(condition, whenTrue, whenFalse)',
    summary: 'whenTrue if the condition holds, else whenFalse.',
    params: ['boolean', 'any', 'any'],
    min: 3,
    max: 3,
    returns: 'any',
    evaluate: (call, user) => (condition(call, user, 0) ? call.args[1]!(user) : call.args[2]!(user)),
  },
  predicate('IsNull', 'True when the value is null (the attribute is not set).', (v) => v === null),
  predicate('IsNullOrEmpty', 'True when the value is null or the empty string.', isEmpty),
  predicate('IsPresent', 'True when the value is neither null nor the empty string.', (v) => !isEmpty(v)),
  {
    name: 'Equals',
    signature: 'Equals(a, b)',
    summary: 'True when both are null, or both have the same text (case-sensitive).',
    params: ['string', 'string'],
    min: 2,
    max: 2,
    returns: 'boolean',
    evaluate: (call, user) => text(call, user, 0) === text(call, user, 1),
  },
  {
    name: 'Not',
    signature: 'Not(condition)',
    summary: 'True when the condition does not hold.',
    params: ['boolean'],
    min: 1,
    max: 1,
    returns: 'boolean',
    evaluate: (call, user) => !condition(call, user, 0),
  },
  {
    name: 'And',
    signature: 'And(condition1, condition2, …)',
    summary: 'True when every condition holds (stops at the first that does not).',
    params: [],
    rest: 'boolean',
    min: 2,
    max: Infinity,
    returns: 'boolean',
    evaluate: (call, user) => call.args.every((_, i) => condition(call, user, i)),
  },
  {
    name: 'Or',
    signature: 'Or(condition1, condition2, …)',
    summary: 'True when any condition holds (stops at the first that does).',
    params: [],
    rest: 'boolean',
    min: 2,
    max: Infinity,
    returns: 'boolean',
    evaluate: (call, user) => call.args.some((_, i) => condition(call, user, i)),
  },
];

function stringFunction(name: string, summary: string, apply: (s: string) => string): FunctionSpec {
  return {
    name,
    signature: `${name}(source)`,
    summary,
    params: ['string'],
    min: 1,
    max: 1,
    returns: 'string',
    evaluate(call, user) {
      const source = text(call, user, 0);
      return source === null ? null : apply(source);
    },
  };
}

function predicate(name: string, summary: string, test: (v: Value) => boolean): FunctionSpec {
  return { name, signature: `${name}(value)`, summary, params: ['any'], min: 1, max: 1, returns: 'boolean', evaluate: (call, user) => test(call.args[0]!(user)) };
}

/** Every function, in the order the documentation lists them. */
export const functionSpecs: readonly FunctionSpec[] = specs;

const byLowerName = new Map(specs.map((s) => [s.name.toLowerCase(), s]));

export const findFunction = (name: string): FunctionSpec | undefined => byLowerName.get(name.toLowerCase());

/** The declared type of argument `index`. */
export const paramType = (spec: FunctionSpec, index: number): ValueType => spec.params[index] ?? spec.rest ?? 'any';

/** The function reference for the API and the UI's expression help. */
export const describeFunctions = (): { name: string; signature: string; summary: string }[] =>
  specs.map(({ name, signature, summary }) => ({ name, signature, summary }));
