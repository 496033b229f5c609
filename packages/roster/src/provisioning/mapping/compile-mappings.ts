/**
 * The renderer: a configuration's mappings compiled once (per settings version) and applied to each
 * user of a cycle. The engine renders every assigned user per cycle, so the per-user path is a
 * plain loop over prepared readers.
 */
import type { TargetField } from '../../connectors/contract.ts';
import type { FieldIssue } from '../../errors/app-error.ts';
import type { Result } from '../../errors/result.ts';
import type { FieldMapping } from '../config/settings-schema.ts';
import type { CompiledMapping } from './compile-mapping.ts';
import type { AttributeCatalog, SourceAttribute, SourceUser } from './source-attributes.ts';
import type { TargetValue } from './target-values.ts';
import { checkMappings } from './validate-mappings.ts';

/** One user in the target's shape: target field key → value, and the fields that could not be computed. */
export interface RenderedUser {
  attributes: Record<string, TargetValue>;
  errors: { target: string; message: string }[];
}

export interface CompiledMappings {
  /** Target field keys written on create, sorted (the order of rendered attributes). */
  readonly targets: readonly string[];
  /** Directory attributes any mapping reads: a change to another attribute needs no push. */
  readonly reads: ReadonlySet<string>;
  /** `isCreate: false` leaves out `on_create` mappings. */
  render(user: SourceUser, isCreate: boolean): RenderedUser;
}

/** Validates, then compiles; invalid settings (e.g. a custom attribute since deleted) answer their issues. */
export function compileMappings(
  mappings: readonly FieldMapping[],
  matching: readonly string[],
  targetFields: readonly TargetField[],
  sourceAttributes: readonly SourceAttribute[] | AttributeCatalog,
): Result<CompiledMappings, FieldIssue[]> {
  const checked = checkMappings(mappings, matching, targetFields, sourceAttributes);
  if (checked.issues.length > 0) return { ok: false, error: checked.issues };
  // Sorted by target so rendered attributes come in canonical key order and hashing skips its sort.
  const all = [...checked.compiled].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  const always = all.filter((m) => m.apply === 'always');
  return {
    ok: true,
    value: {
      targets: all.map((m) => m.target),
      reads: new Set(all.flatMap((m) => m.reads)),
      render: (user, isCreate) => renderWith(isCreate ? all : always, user),
    },
  };
}

function renderWith(mappings: readonly CompiledMapping[], user: SourceUser): RenderedUser {
  const attributes: Record<string, TargetValue> = {};
  let errors: RenderedUser['errors'] | undefined;
  for (const mapping of mappings) {
    const result = mapping.read(user);
    if (!result.ok) (errors ??= []).push({ target: mapping.target, message: result.error });
    else if (result.value === null && mapping.field.required) (errors ??= []).push({ target: mapping.target, message: `is empty, and the target requires ${mapping.target}` });
    else attributes[mapping.target] = result.value;
  }
  return { attributes, errors: errors ?? [] };
}

/** `compiled.render` with the engine's wording. */
export const renderUser = (user: SourceUser, compiled: CompiledMappings, options: { isCreate: boolean }): RenderedUser => compiled.render(user, options.isCreate);
