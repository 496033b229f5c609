/** Which properties an update changes, old → new, for the plan and the provisioning log. */
import { canonicalJson } from './canonical-value.ts';

export interface PropertyChange {
  property: string;
  old: unknown;
  new: unknown;
}

export interface DiffOptions {
  /**
   * Also report keys present only in `old` (as changed to null). Off by default: a field no longer
   * mapped is left alone in the target, not cleared.
   */
  includeRemoved?: boolean;
}

/** Changes sorted by property; values compared in canonical form (`""`-vs-null is the renderer's job). */
export function diffAttributes(old: Readonly<Record<string, unknown>>, next: Readonly<Record<string, unknown>>, options: DiffOptions = {}): PropertyChange[] {
  const keys = new Set(Object.keys(next));
  if (options.includeRemoved) for (const key of Object.keys(old)) keys.add(key);
  const changes: PropertyChange[] = [];
  for (const property of [...keys].sort()) {
    const before = old[property] ?? null;
    const after = next[property] ?? null;
    if (before === after) continue;
    if (canonicalJson(before) !== canonicalJson(after)) changes.push({ property, old: before, new: after });
  }
  return changes;
}
