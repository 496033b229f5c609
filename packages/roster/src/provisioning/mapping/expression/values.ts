/** The values the mapping language computes with: JSON scalars, nothing else. */
export type Value = string | number | boolean | null;

/** A value's static type, as far as the compiler can tell before evaluation. */
export type ValueType = 'string' | 'number' | 'boolean' | 'null' | 'any';

/** The text form a string parameter sees: numbers and booleans print, null stays null. */
export function toText(value: Value): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  return String(value);
}

/** Empty means null or the empty string (what Join skips and Coalesce passes over). */
export const isEmpty = (value: Value): boolean => value === null || value === '';

export function typeOf(value: Value): Exclude<ValueType, 'any'> {
  if (value === null) return 'null';
  return typeof value as 'string' | 'number' | 'boolean';
}

/** Describes a value for an error message without echoing long or private text. */
export function describeValue(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 20 ? `a ${value.length}-character string` : `the string "${value}"`;
  return `${typeof value} ${String(value)}`;
}
