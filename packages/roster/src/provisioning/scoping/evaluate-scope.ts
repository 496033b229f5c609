/**
 * The scoping filter evaluator: pure. Clauses are AND-ed inside a filter, filters are OR-ed (Entra);
 * no filter at all puts every candidate in scope. Filters are compiled once per cycle (regexes
 * built once, operands parsed once), then `passes` answers per user without allocating, and
 * `evaluate` explains every filter and clause (provision on demand, the log).
 *
 * Operator semantics: clause-operators.ts. Filters reaching here were validated on save
 * (validate-scoping.ts); a clause that no longer compiles (e.g. saved before a rule tightened)
 * evaluates to false, so a broken filter never widens the scope.
 */
import type { ScopingClause, ScopingFilter, ScopingOperator } from '../config/settings-schema.ts';
import type { SourceAttributeType, SourceUser } from '../mapping/source-attributes.ts';
import type { Value } from '../mapping/expression/values.ts';
import { type ClauseTest, attributeTest, groupOperators, regexOperators } from './clause-operators.ts';
import { compileSafeRegex } from './safe-regex.ts';

export interface ClauseResult {
  attribute: string;
  operator: ScopingOperator;
  value: ScopingClause['value'];
  /** The user's value; for group clauses, whether the user is a member. */
  actual: Value;
  passed: boolean;
}

export interface FilterResult {
  name: string;
  passed: boolean;
  clauses: ClauseResult[];
}

export interface ScopeResult {
  inScope: boolean;
  filters: FilterResult[];
}

/** The directory group ids a user belongs to (directly or through nesting); only those clauses name are needed. */
export type UserGroups = ReadonlySet<string>;

interface CompiledClause {
  clause: ScopingClause;
  actual(user: SourceUser, groups: UserGroups): Value;
  test(actual: Value): boolean;
}

export interface CompiledScope {
  /** No filters: everyone passes. */
  readonly empty: boolean;
  /** Directory group ids the clauses name (the caller expands membership of these only). */
  readonly groupIds: readonly string[];
  passes(user: SourceUser, groups: UserGroups): boolean;
  evaluate(user: SourceUser, groups: UserGroups): ScopeResult;
}

export interface CompileOptions {
  /** Declared type of an attribute (`date` attributes compare chronologically). */
  typeOf?: (attribute: string) => SourceAttributeType | undefined;
  /**
   * The named groups that still exist. A clause naming a group deleted since the filter was saved
   * is false whatever its operator: `not_in_group` of a vanished group must not let everyone in.
   */
  liveGroups?: ReadonlySet<string>;
}

export function compileScope(filters: readonly ScopingFilter[], opts: CompileOptions = {}): CompiledScope {
  const compiled = filters.map((f) => ({ name: f.name, clauses: f.clauses.map((c) => compileClause(c, opts)) }));
  const groupIds = [...new Set(filters.flatMap((f) => f.clauses.filter((c) => groupOperators.has(c.operator) && typeof c.value === 'string').map((c) => (c.value as string).toLowerCase())))];
  return {
    empty: compiled.length === 0,
    groupIds,
    passes(user, groups) {
      if (compiled.length === 0) return true;
      for (const f of compiled) {
        let all = true;
        for (const c of f.clauses) {
          if (!c.test(c.actual(user, groups))) {
            all = false;
            break;
          }
        }
        if (all) return true;
      }
      return false;
    },
    evaluate(user, groups) {
      const results = compiled.map((f): FilterResult => {
        const clauses = f.clauses.map((c): ClauseResult => {
          const actual = c.actual(user, groups);
          return { attribute: c.clause.attribute, operator: c.clause.operator, value: c.clause.value, actual, passed: c.test(actual) };
        });
        return { name: f.name, passed: clauses.every((c) => c.passed), clauses };
      });
      return { inScope: results.length === 0 || results.some((f) => f.passed), filters: results };
    },
  };
}

/** One-off evaluation (compiles the filters each call: use `compileScope` for many users). */
export function evaluateScope(user: SourceUser, groups: UserGroups, filters: readonly ScopingFilter[], opts: CompileOptions = {}): ScopeResult {
  return compileScope(filters, opts).evaluate(user, groups);
}

const never: ClauseTest = () => false;

function compileClause(clause: ScopingClause, opts: CompileOptions): CompiledClause {
  if (groupOperators.has(clause.operator)) {
    const groupId = typeof clause.value === 'string' ? clause.value.toLowerCase() : null;
    const member = clause.operator === 'in_group';
    const usable = groupId !== null && (opts.liveGroups === undefined || opts.liveGroups.has(groupId));
    return { clause, actual: (_u, groups) => groupId !== null && groups.has(groupId), test: usable ? (a) => a === member : never };
  }
  let regex: RegExp | null = null;
  if (regexOperators.has(clause.operator)) {
    const r = typeof clause.value === 'string' ? compileSafeRegex(clause.value) : null;
    if (!r?.ok) return { clause, actual: (u) => u[clause.attribute] ?? null, test: never };
    regex = r.regex;
  }
  const date = opts.typeOf?.(clause.attribute) === 'date';
  const test = attributeTest(clause.operator, clause.value, regex, date);
  const attribute = clause.attribute;
  return { clause, actual: (u) => u[attribute] ?? null, test };
}
