/**
 * Checks scoping filters on save, naming every problem with its request path at once, e.g.
 * `body.settings.scopingFilters.0.clauses.2.value: does not compile: Unterminated group`.
 * Refused: unknown attributes, operators that do not fit the attribute's type, a value given to an
 * operator that takes none (or missing where one is needed), regexes that do not compile or could
 * backtrack catastrophically (safe-regex.ts), unknown or deleted group ids.
 */
import type { FieldIssue } from '../../errors/app-error.ts';
import type { ScopingFilter } from '../config/settings-schema.ts';
import { type SourceAttribute, createAttributeCatalog } from '../mapping/source-attributes.ts';
import { GROUPS_ATTRIBUTE, dateOf, groupOperators, orderOperators, regexOperators, unaryOperators } from './clause-operators.ts';
import { compileSafeRegex } from './safe-regex.ts';

/** Attributes a mapping may read that a scoping filter cannot: the engine does not load them when scoping. */
const NOT_SCOPABLE: ReadonlyMap<string, string> = new Map([['managerEmail', "the manager's email is not loaded when scope is evaluated; filter on managerId instead"]]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The group ids the filters name that look like ids (the caller checks which exist). */
export function scopingGroupIds(filters: readonly ScopingFilter[]): string[] {
  const ids = filters.flatMap((f) => f.clauses.filter((c) => groupOperators.has(c.operator) && typeof c.value === 'string' && UUID.test(c.value)).map((c) => (c.value as string).toLowerCase()));
  return [...new Set(ids)];
}

export function validateScoping(filters: readonly ScopingFilter[], attributes: readonly SourceAttribute[], liveGroupIds: ReadonlySet<string>, opts: { path: string }): FieldIssue[] {
  const catalog = createAttributeCatalog(attributes);
  const issues: FieldIssue[] = [];
  for (const [fi, filter] of filters.entries()) {
    for (const [ci, clause] of filter.clauses.entries()) {
      const at = `${opts.path}.scopingFilters.${fi}.clauses.${ci}`;
      const issue = (field: 'attribute' | 'operator' | 'value', reason: string) => issues.push({ path: `${at}.${field}`, reason });
      const { attribute, operator, value } = clause;

      if (groupOperators.has(operator)) {
        if (attribute !== GROUPS_ATTRIBUTE) issue('attribute', `${operator} applies to group membership: set the attribute to "${GROUPS_ATTRIBUTE}"`);
        if (typeof value !== 'string' || !UUID.test(value)) issue('value', 'must be a directory group id');
        else if (!liveGroupIds.has(value.toLowerCase())) issue('value', `no directory group has the id ${value} (deleted?)`);
        continue;
      }
      if (attribute === GROUPS_ATTRIBUTE) {
        issue('operator', `"${GROUPS_ATTRIBUTE}" takes in_group or not_in_group`);
        continue;
      }
      const attr = catalog.get(attribute);
      if (!attr) {
        issue('attribute', `unknown attribute ${attribute}; use a directory attribute (${catalog.names.slice(0, 6).join(', ')}, …, custom.<key>) or "${GROUPS_ATTRIBUTE}"`);
        continue;
      }
      if (attr.name !== attribute) {
        issue('attribute', `unknown attribute ${attribute}; did you mean ${attr.name}? (names are case sensitive)`);
        continue;
      }
      const notScopable = NOT_SCOPABLE.get(attribute);
      if (notScopable) {
        issue('attribute', notScopable);
        continue;
      }

      if (unaryOperators.has(operator)) {
        if (value !== null) issue('value', `${operator} takes no value; leave it null`);
        if ((operator === 'is_true' || operator === 'is_false') && attr.type !== 'boolean') issue('operator', `${operator} applies to boolean attributes; ${attribute} is a ${attr.type} attribute`);
        continue;
      }
      if (value === null) {
        issue('value', `${operator} needs a value`);
        continue;
      }
      if (regexOperators.has(operator)) {
        if (typeof value !== 'string') issue('value', 'must be a regular expression (a string)');
        else {
          const r = compileSafeRegex(value);
          if (!r.ok) issue('value', r.reason);
        }
        continue;
      }
      if (orderOperators.has(operator)) {
        if (attr.type === 'boolean' || attr.type === 'enum') issue('operator', `${operator} compares numbers or dates; ${attribute} is a ${attr.type} attribute`);
        else if (attr.type === 'date') {
          if (typeof value !== 'string' || dateOf(value) === null) issue('value', `must be a date as YYYY-MM-DD (${attribute} is a date attribute)`);
        } else if (typeof value !== 'number' || !Number.isFinite(value)) issue('value', `must be a number (${operator} compares the attribute read as a number)`);
        continue;
      }
      // equals, not_equals, includes, ends_with: compared as text.
      if (value === '') issue('value', operator === 'equals' ? 'must not be empty; to find users without a value use is_null' : 'must not be empty');
      else if (attr.type === 'enum' && attr.enumValues && typeof value === 'string' && (operator === 'equals' || operator === 'not_equals') && !attr.enumValues.includes(value)) {
        issue('value', `${attribute} is one of ${attr.enumValues.join(', ')}`);
      }
    }
  }
  return issues;
}
