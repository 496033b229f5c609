/**
 * Scoping filters ready for a run: compiled once (with the attributes' declared types, so `date`
 * attributes compare as dates) and with the membership of the groups the clauses name, expanded
 * through nesting — only those groups, so a cycle of 100,000 users reads one small query, not every
 * user's every group. A group deleted since the filters were saved makes its clauses false.
 */
import type { Executor } from '../../db/database.ts';
import { loadAttributeDefinitions } from '../../directory/attributes/attributes.ts';
import { usersByGroup } from '../../directory/groups/expand-group-users.ts';
import type { ScopingFilter } from '../config/settings-schema.ts';
import { type DirectoryUserLike, type SourceAttributeType, sourceAttributes, toSourceUser } from '../mapping/source-attributes.ts';
import { outOfScopeReason } from '../../words/words.ts';
import { groupOperators } from './clause-operators.ts';
import { type CompiledScope, type ScopeResult, type UserGroups, compileScope } from './evaluate-scope.ts';
import { liveGroupNames } from './live-groups.ts';
import { scopingGroupIds } from './validate-scoping.ts';

export interface LoadedScope {
  compiled: CompiledScope;
  /** The named groups the user belongs to. */
  groupsOf(userId: string): UserGroups;
  passes(user: DirectoryUserLike): boolean;
  evaluate(user: DirectoryUserLike): ScopeResult;
  /** `evaluate` with each group clause's value the group's name, for people to read. */
  explain(user: DirectoryUserLike): ScopeResult;
  /** Why a user fails every filter, in words: "clause department equals Sales was false" (groups by name). */
  reason(user: DirectoryUserLike): string;
}

const none: UserGroups = new Set();

/** With `userIds`, membership is read for those users only (incremental runs, provision on demand). */
export async function loadScope(executor: Executor, filters: readonly ScopingFilter[], opts: { userIds?: readonly string[] | undefined } = {}): Promise<LoadedScope> {
  const types = new Map<string, SourceAttributeType>();
  if (filters.length > 0) for (const a of sourceAttributes([...(await loadAttributeDefinitions(executor)).values()])) types.set(a.name, a.type);
  const groupNames = await liveGroupNames(executor, scopingGroupIds(filters));
  const compiled = compileScope(filters, { typeOf: (name) => types.get(name), liveGroups: new Set(groupNames.keys()) });
  const membership = new Map<string, Set<string>>();
  if (compiled.groupIds.length > 0) {
    for (const [groupId, userIds] of await usersByGroup(executor, compiled.groupIds, opts.userIds)) {
      for (const userId of userIds) {
        const set = membership.get(userId);
        if (set) set.add(groupId);
        else membership.set(userId, new Set([groupId]));
      }
    }
  }
  const groupsOf = (userId: string): UserGroups => membership.get(userId) ?? none;
  const named = (value: ScopingFilter['clauses'][number]['value']) => (typeof value === 'string' ? (groupNames.get(value.toLowerCase()) ?? `${value} (deleted)`) : value);
  const explain = (user: DirectoryUserLike): ScopeResult => {
    const result = compiled.evaluate(toSourceUser(user), groupsOf(user.id));
    return { ...result, filters: result.filters.map((f) => ({ ...f, clauses: f.clauses.map((c) => (groupOperators.has(c.operator) ? { ...c, value: named(c.value) } : c)) })) };
  };
  return {
    compiled,
    groupsOf,
    passes: (user) => compiled.empty || compiled.passes(toSourceUser(user), groupsOf(user.id)),
    evaluate: (user) => compiled.evaluate(toSourceUser(user), groupsOf(user.id)),
    explain,
    reason: (user) => outOfScopeReason(explain(user).filters),
  };
}
