/**
 * The enterprise manager by reference (RFC 7643 §4.3: `manager.value` is the manager's SCIM id).
 * Mappings name the manager by the directory id, which is the manager's externalId in the app: on
 * write it is looked up and replaced by the SCIM id (left unset while the manager has no account);
 * on read the SCIM id is turned back into the externalId, so drift repair compares like with like.
 * Ids seen on every read are remembered, so a listing costs at most one extra request per page.
 */
import { ok } from '../../errors/result.ts';
import type { ConnectorDeps, ConnectorResult, TargetUser } from '../contract.ts';
import { MANAGER_KEY } from './catalog.ts';

type Search = (path: string, values: readonly string[]) => Promise<ConnectorResult<TargetUser[]>>;

export interface ManagerRefs {
  /** Attributes with the manager's externalId replaced by their SCIM id (or dropped when unknown). */
  toIds(attributes: Record<string, unknown>): Promise<ConnectorResult<Record<string, unknown>>>;
  /** Users with `manager` read back as the manager's externalId where the app knows one. */
  toExternalIds(users: TargetUser[]): Promise<TargetUser[]>;
}

export function createManagerRefs(search: Search, deps: ConnectorDeps): ManagerRefs {
  /** SCIM id → externalId (null: an account without one). */
  const externalIdOf = new Map<string, string | null>();
  const learn = (users: readonly TargetUser[]) => {
    for (const u of users) externalIdOf.set(u.id, u.externalId);
  };

  return {
    async toIds(attributes) {
      const manager = attributes[MANAGER_KEY];
      if (typeof manager !== 'string' || manager === '') return ok(attributes);
      const found = await search('externalId', [manager]);
      if (!found.ok) return found;
      learn(found.value);
      const { [MANAGER_KEY]: _, ...rest } = attributes;
      const id = found.value[0]?.id;
      if (!id) {
        deps.log?.({ msg: 'scim manager not provisioned yet; left unset', manager });
        return ok(rest);
      }
      return ok({ ...rest, [MANAGER_KEY]: id });
    },
    async toExternalIds(users) {
      learn(users);
      const unknown = [...new Set(users.map((u) => u.attributes[MANAGER_KEY]).filter((m): m is string => typeof m === 'string' && m !== '' && !externalIdOf.has(m)))];
      if (unknown.length > 0) {
        const found = await search('id', unknown);
        // A failed look-up leaves the SCIM ids in place; the next read tries again.
        if (found.ok) learn(found.value);
      }
      return users.map((u) => {
        const m = u.attributes[MANAGER_KEY];
        const externalId = typeof m === 'string' ? externalIdOf.get(m) : null;
        return externalId ? { ...u, attributes: { ...u.attributes, [MANAGER_KEY]: externalId } } : u;
      });
    },
  };
}
