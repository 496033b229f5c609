/**
 * The application's field mappings read backwards: which target field fills which directory
 * attribute, and which directory attribute each matching field is compared with. Only
 * `attribute`-kind mappings can be reversed (`email ← [email]` imports the email into `email`);
 * a field filled by an expression (`phone ← Coalesce([phone], [mobile])`) or a constant has no single
 * directory attribute to receive it, so it is not imported and cannot be used for matching.
 */
import type { TargetUser } from '../../connectors/contract.ts';
import { userTextFields } from '../../directory/users/user-fields.ts';
import type { ProvisioningSettings } from '../config/settings-schema.ts';
import { CUSTOM_PREFIX } from '../mapping/source-attributes.ts';

export interface ImportMapping {
  /** Target field → directory attribute (`givenName`, `custom.costCenter`); `onCreate` fields fill new users only. */
  fields: { target: string; attribute: string; onCreate: boolean }[];
  /** The matching order, each with the directory attribute it is compared with (`external_id` → `id`). */
  matchKeys: { target: string; attribute: string }[];
  /** Mapped target fields that are not imported, with the reason (shown on the session). */
  notImported: { target: string; reason: string }[];
}

/** Directory attributes an import may write. `id`, `status`, `managerId` are Roster's own. */
const WRITABLE: ReadonlySet<string> = new Set<string>(['email', ...userTextFields]);
/** Attributes a matching field may be compared with (each is a column or a custom value). */
const MATCHABLE: ReadonlySet<string> = new Set<string>(['id', 'email', ...userTextFields]);

export const isCustom = (attribute: string): boolean => attribute.startsWith(CUSTOM_PREFIX);

export function importMappingOf(settings: Pick<ProvisioningSettings, 'mappings' | 'matching'>): ImportMapping {
  const out: ImportMapping = { fields: [], matchKeys: [], notImported: [] };
  for (const m of settings.mappings) {
    if (m.source.kind !== 'attribute') {
      out.notImported.push({ target: m.target, reason: `mapped from ${m.source.kind === 'expression' ? `the expression ${m.source.expression}` : 'a constant'}: no single directory attribute receives it` });
      continue;
    }
    const attribute = m.source.attribute;
    if (WRITABLE.has(attribute) || isCustom(attribute)) out.fields.push({ target: m.target, attribute, onCreate: m.apply === 'on_create' });
    else if (m.target !== 'external_id' || attribute !== 'id') out.notImported.push({ target: m.target, reason: `mapped from ${attribute}, which Roster sets itself` });
  }
  for (const key of settings.matching) {
    const m = settings.mappings.find((x) => x.target === key);
    if (m?.source.kind === 'attribute' && (MATCHABLE.has(m.source.attribute) || isCustom(m.source.attribute))) out.matchKeys.push({ target: key, attribute: m.source.attribute });
    else out.notImported.push({ target: key, reason: `cannot be used for matching: ${m ? 'it is not mapped from a single directory attribute' : 'it is not mapped'}` });
  }
  return out;
}

/** A target user's value of a target field (`name`, `email`, `external_id` or an attribute). */
export function targetValue(t: TargetUser, key: string): unknown {
  if (key === 'name') return t.name;
  if (key === 'email') return t.email;
  if (key === 'external_id') return t.externalId;
  return t.attributes[key];
}

/** A value as a directory attribute holds it: trimmed text (or a custom attribute's scalar); '' is no value; lists and objects do not import. */
export function directoryValue(value: unknown, attribute: string): string | number | boolean | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return isCustom(attribute) ? value : String(value);
  return undefined;
}
