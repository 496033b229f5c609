/** Matching: finding an existing target account for a desired user by the settings' matching order. */
import type { TargetUser } from '../../connectors/contract.ts';
import type { DesiredUser, MatchProbe, PlanStep, UserLink } from './plan-types.ts';

export interface TargetIndex {
  byId: Map<string, TargetUser>;
  /** Matching key → normalised value → live, unlinked accounts holding it. */
  byKey: Map<string, Map<string, TargetUser[]>>;
  /** Accounts matched earlier in this plan: two directory users never claim one account. */
  claimed: Set<string>;
}

const norm = (key: string, value: string): string => (key === 'email' ? value.toLowerCase() : value);

function valueOfTarget(t: TargetUser, key: string): string | null {
  const v = key === 'external_id' ? t.externalId : key === 'email' ? t.email : t.attributes[key];
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

/** The desired user's value for a matching key. */
export function matchValue(d: DesiredUser, key: string): string | null {
  const v = key === 'external_id' ? d.externalId : d.attributes[key];
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

/** Indexes a target read once per cycle; accounts already linked to someone are not matchable. */
export function indexTarget(snapshot: readonly TargetUser[], matching: readonly string[], links: readonly UserLink[]): TargetIndex {
  const linked = new Set(links.map((l) => l.targetId));
  const byId = new Map<string, TargetUser>();
  const byKey = new Map<string, Map<string, TargetUser[]>>(matching.map((k) => [k, new Map()]));
  for (const t of snapshot) {
    byId.set(t.id, t);
    if (!t.active || linked.has(t.id)) continue;
    for (const [key, map] of byKey) {
      const v = valueOfTarget(t, key);
      if (v === null) continue;
      const list = map.get(norm(key, v));
      if (list) list.push(t);
      else map.set(norm(key, v), [t]);
    }
  }
  return { byId, byKey, claimed: new Set() };
}

/**
 * Tries each matching key in order, recording one step per key. `ambiguous` when a key matches
 * several accounts: linking either could hand one person's account to another.
 */
export function matchInSnapshot(d: DesiredUser, index: TargetIndex, matching: readonly string[], steps: PlanStep[]): TargetUser | 'ambiguous' | null {
  for (const key of matching) {
    const value = matchValue(d, key);
    if (value === null) {
      steps.push({ name: 'match', outcome: 'no value', detail: `${key} is empty` });
      continue;
    }
    const hits = (index.byKey.get(key)?.get(norm(key, value)) ?? []).filter((t) => !index.claimed.has(t.id));
    if (hits.length === 1) {
      const hit = hits[0]!;
      index.claimed.add(hit.id);
      steps.push({ name: 'match', outcome: 'matched', detail: `${key} = ${value} → target ${hit.id}` });
      return hit;
    }
    steps.push({ name: 'match', outcome: hits.length ? 'ambiguous' : 'no match', detail: hits.length ? `${key} = ${value} matches ${hits.length} accounts` : `${key} = ${value}` });
    if (hits.length > 1) return 'ambiguous';
  }
  return null;
}

/** Live, unlinked accounts not yet claimed in this plan that hold `value` for a matching key. */
export function lookUp(index: TargetIndex, key: string, value: string): TargetUser[] {
  return (index.byKey.get(key)?.get(norm(key, value)) ?? []).filter((t) => !index.claimed.has(t.id));
}

/** The lookups apply makes before a create when the plan had no snapshot. */
export function probesFor(d: DesiredUser, matching: readonly string[]): MatchProbe[] {
  const probes: MatchProbe[] = [];
  for (const field of matching) {
    const value = matchValue(d, field);
    if (value !== null) probes.push({ field, value });
  }
  return probes;
}
