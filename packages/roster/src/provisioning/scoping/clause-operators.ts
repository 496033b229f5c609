/**
 * What each scoping operator means, following Microsoft Entra's documented semantics
 * (https://learn.microsoft.com/entra/identity/app-provisioning/define-conditional-rules-for-provisioning-user-accounts),
 * so admins moving from Entra read the same rules:
 *
 * | operator | true when |
 * |---|---|
 * | `equals` | the attribute's text equals the value exactly (case sensitive) |
 * | `not_equals` | the attribute has a value and its text differs from the value (case sensitive) |
 * | `is_true` / `is_false` | the attribute holds the Boolean true / false |
 * | `is_null` | the attribute is empty (missing, null or the empty string) |
 * | `is_not_null` | the attribute is not empty |
 * | `regex_match` | the regular expression finds a match in the attribute (unanchored, case sensitive) |
 * | `not_regex_match` | the attribute has a value and the regular expression finds no match in it |
 * | `includes` | the attribute contains the value (case sensitive, as .NET `String.Contains`) |
 * | `ends_with` | the attribute ends with the value (case sensitive) |
 * | `greater_than` / `greater_than_or_equals` | the attribute, read as a number, is > / ≥ the number value; for `date` attributes, the date is later than / on or after the value (YYYY-MM-DD) |
 * | `in_group` / `not_in_group` | the user is / is not a member of the directory group `value`, directly or through nested groups (false for both when the group was deleted) |
 *
 * Entra: "scoping filters return false if the value is null / empty". So every operator except
 * `is_null`, `is_not_null` and the group operators is false on an empty attribute — including
 * `not_equals` and `not_regex_match`: "department NOT EQUALS Sales" leaves out users with no
 * department. A number attribute compares with text operators through its decimal text (`42`); a
 * Boolean through `true` / `false`. `greater_than` on a text attribute reads it as a number (an
 * employee id `1000042`); text that is not a number is false.
 */
import type { ScopingOperator } from '../config/settings-schema.ts';
import type { Value } from '../mapping/expression/values.ts';

/** Operators that take no value. */
export const unaryOperators: ReadonlySet<ScopingOperator> = new Set(['is_true', 'is_false', 'is_null', 'is_not_null']);
export const groupOperators: ReadonlySet<ScopingOperator> = new Set(['in_group', 'not_in_group']);
export const regexOperators: ReadonlySet<ScopingOperator> = new Set(['regex_match', 'not_regex_match']);
export const orderOperators: ReadonlySet<ScopingOperator> = new Set(['greater_than', 'greater_than_or_equals']);

/** The attribute name group clauses use. */
export const GROUPS_ATTRIBUTE = 'groups';

const isEmpty = (v: Value | undefined): v is null | undefined | '' => v === null || v === undefined || v === '';

/** Text form of an attribute value for the text operators. */
const textOf = (v: string | number | boolean): string => (typeof v === 'string' ? v : String(v));

/** A number read from an attribute value: numbers as they are, decimal text parsed, anything else null. */
export function numberOf(v: string | number | boolean): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || !/^\s*-?\d+(\.\d+)?\s*$/.test(v)) return null;
  return Number(v);
}

/** Days since the epoch of a `YYYY-MM-DD` (or ISO 8601 date-time) text; null if it is not one. */
export function dateOf(v: string | number | boolean): number | null {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) return null;
  const t = Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v);
  return Number.isNaN(t) ? null : t;
}

/** A clause ready to test: its operand prepared once per cycle. */
export interface ClauseTest {
  (actual: Value | undefined): boolean;
}

/**
 * Builds the test of one attribute operator (not the group operators) against a validated value.
 * `date`: compare `greater_than*` chronologically (the attribute's declared type is `date`).
 */
export function attributeTest(operator: ScopingOperator, value: string | number | boolean | null, regex: RegExp | null, date: boolean): ClauseTest {
  switch (operator) {
    case 'is_null':
      return (a) => isEmpty(a);
    case 'is_not_null':
      return (a) => !isEmpty(a);
    case 'is_true':
      return (a) => a === true;
    case 'is_false':
      return (a) => a === false;
  }
  const text = value === null ? '' : textOf(value);
  switch (operator) {
    case 'equals':
      return (a) => !isEmpty(a) && textOf(a) === text;
    case 'not_equals':
      return (a) => !isEmpty(a) && textOf(a) !== text;
    case 'includes':
      return (a) => !isEmpty(a) && textOf(a).includes(text);
    case 'ends_with':
      return (a) => !isEmpty(a) && textOf(a).endsWith(text);
    case 'regex_match':
      return (a) => !isEmpty(a) && regex!.test(textOf(a));
    case 'not_regex_match':
      return (a) => !isEmpty(a) && !regex!.test(textOf(a));
    case 'greater_than':
    case 'greater_than_or_equals': {
      const strict = operator === 'greater_than';
      const read = date ? dateOf : numberOf;
      const bound = value === null ? null : read(value);
      if (bound === null) return () => false;
      return (a) => {
        if (isEmpty(a)) return false;
        const n = read(a);
        return n !== null && (strict ? n > bound : n >= bound);
      };
    }
    default:
      throw new Error(`not an attribute operator: ${operator}`);
  }
}
