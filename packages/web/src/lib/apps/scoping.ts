/**
 * The scoping filter editor's model: operators with their labels, which take no value, and the
 * filters as the API stores them (clauses AND-ed inside a filter, filters OR-ed).
 */

export const scopingOperators = [
  { value: 'equals', label: 'equals' },
  { value: 'not_equals', label: 'does not equal' },
  { value: 'includes', label: 'includes' },
  { value: 'ends_with', label: 'ends with' },
  { value: 'regex_match', label: 'matches regex' },
  { value: 'not_regex_match', label: 'does not match regex' },
  { value: 'greater_than', label: 'greater than' },
  { value: 'greater_than_or_equals', label: 'greater than or equals' },
  { value: 'is_true', label: 'is true' },
  { value: 'is_false', label: 'is false' },
  { value: 'is_null', label: 'is empty' },
  { value: 'is_not_null', label: 'is not empty' },
  { value: 'in_group', label: 'is in group (id)' },
  { value: 'not_in_group', label: 'is not in group (id)' },
] as const;
export type ScopingOperator = (typeof scopingOperators)[number]['value'];

const unary: ReadonlySet<string> = new Set(['is_true', 'is_false', 'is_null', 'is_not_null']);
export const takesValue = (op: string): boolean => !unary.has(op);

export interface ClauseDraft {
  attribute: string;
  operator: ScopingOperator;
  value: string;
}
export interface FilterDraft {
  name: string;
  clauses: ClauseDraft[];
}
export interface ScopingClause {
  attribute: string;
  operator: ScopingOperator;
  value: string | number | boolean | null;
}
export interface ScopingFilter {
  name: string;
  clauses: ScopingClause[];
}

export const newClause = (): ClauseDraft => ({ attribute: 'department', operator: 'equals', value: '' });

/** Numbers for the ordering operators (the server compares numbers as numbers); text otherwise; null for unary ones. */
export function toFilters(drafts: readonly FilterDraft[]): ScopingFilter[] {
  return drafts.map((f) => ({
    name: f.name.trim(),
    clauses: f.clauses.map((c) => {
      if (!takesValue(c.operator)) return { attribute: c.attribute.trim(), operator: c.operator, value: null };
      const numeric = (c.operator === 'greater_than' || c.operator === 'greater_than_or_equals') && c.value.trim() !== '' && Number.isFinite(Number(c.value));
      return { attribute: c.attribute.trim(), operator: c.operator, value: numeric ? Number(c.value) : c.value };
    }),
  }));
}

export function toDrafts(filters: readonly ScopingFilter[]): FilterDraft[] {
  return filters.map((f) => ({ name: f.name, clauses: f.clauses.map((c) => ({ attribute: c.attribute, operator: c.operator, value: c.value === null ? '' : String(c.value) })) }));
}
