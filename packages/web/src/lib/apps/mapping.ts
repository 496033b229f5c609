/**
 * Pure logic of the field mapping table and its Edit modal: how a mapping reads in one line, the
 * modal's draft and the mapping it saves, and replacing one target's mapping in the list. Kept out
 * of the components so it is unit-tested without a DOM.
 */

export type MappingSource = { kind: 'attribute'; attribute: string } | { kind: 'constant'; value: string | number | boolean | null } | { kind: 'expression'; expression: string };

export interface FieldMapping {
  target: string;
  source: MappingSource;
  apply: 'always' | 'on_create';
}

/** What the Edit modal holds: one text per kind, so switching kinds does not lose what was typed. */
export interface MappingDraft {
  target: string;
  kind: MappingSource['kind'];
  attribute: string;
  constant: string;
  expression: string;
  onCreateOnly: boolean;
}

/** One line for the table's "Source" column: `[displayName]`, `"Support"` or the expression. */
export function describeSource(source: MappingSource): string {
  switch (source.kind) {
    case 'attribute':
      return source.attribute;
    case 'constant':
      return source.value === null ? 'empty (null)' : JSON.stringify(source.value);
    case 'expression':
      return source.expression;
  }
}

export const kindLabels: Record<MappingSource['kind'], string> = { attribute: 'Direct', constant: 'Hardcoded value', expression: 'Expression' };

export function draftOf(mapping: FieldMapping | undefined, target: string): MappingDraft {
  const s = mapping?.source;
  return {
    target,
    kind: s?.kind ?? 'attribute',
    attribute: s?.kind === 'attribute' ? s.attribute : '',
    constant: s?.kind === 'constant' ? (s.value === null ? '' : String(s.value)) : '',
    expression: s?.kind === 'expression' ? s.expression : '',
    onCreateOnly: mapping?.apply === 'on_create',
  };
}

/**
 * Whether a draft says enough to be previewed: an attribute picked, an expression typed. Until then
 * the editor shows no error — a freshly opened *Map* on an unmapped field is not a mistake yet.
 */
export function draftReady(draft: MappingDraft): boolean {
  if (draft.kind === 'attribute') return draft.attribute.trim() !== '';
  if (draft.kind === 'expression') return draft.expression.trim() !== '';
  return true;
}

/** The mapping a draft saves. A hardcoded value is sent as text: the server checks it against the field's type. */
export function mappingOf(draft: MappingDraft): FieldMapping {
  const apply = draft.onCreateOnly ? 'on_create' : 'always';
  switch (draft.kind) {
    case 'attribute':
      return { target: draft.target, source: { kind: 'attribute', attribute: draft.attribute }, apply };
    case 'constant':
      return { target: draft.target, source: { kind: 'constant', value: draft.constant }, apply };
    case 'expression':
      return { target: draft.target, source: { kind: 'expression', expression: draft.expression }, apply };
  }
}

/** The list with `mapping` in place of the target's current one (appended when the target was unmapped). */
export function withMapping(list: readonly FieldMapping[], mapping: FieldMapping): FieldMapping[] {
  const at = list.findIndex((m) => m.target === mapping.target);
  if (at < 0) return [...list, mapping];
  return list.map((m, i) => (i === at ? mapping : m));
}

/** The list without the target's mapping (the field is then left alone by provisioning). */
export function withoutMapping(list: readonly FieldMapping[], target: string): FieldMapping[] {
  return list.filter((m) => m.target !== target);
}

/** Whether two mapping lists would save the same settings (order matters: it is the table's order). */
export function sameMappings(a: readonly FieldMapping[], b: readonly FieldMapping[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The directory's built-in attributes a mapping can read (custom ones are `custom.<key>`). */
export const builtInSourceAttributes: readonly { name: string; label: string }[] = [
  ['id', 'Directory id'],
  ['email', 'Primary email'],
  ['givenName', 'Given name'],
  ['familyName', 'Family name'],
  ['displayName', 'Display name'],
  ['phone', 'Phone'],
  ['mobile', 'Mobile'],
  ['jobTitle', 'Job title'],
  ['department', 'Department'],
  ['employeeId', 'Employee id'],
  ['managerId', 'Manager (directory id)'],
  ['managerEmail', "Manager's email"],
  ['locale', 'Locale'],
  ['timeZone', 'Time zone'],
  ['organization', 'Organization'],
  ['location', 'Location'],
  ['status', 'Status'],
].map(([name, label]) => ({ name: name!, label: label! }));
