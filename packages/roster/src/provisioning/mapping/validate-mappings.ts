/**
 * Checks a provisioning configuration's field mappings and matching attributes against the target's
 * fields and the directory's attributes, naming every problem at once with its request path, e.g.
 * `{ path: 'body.mappings.3.source.expression', reason: 'unknown function Jion at col 1; did you mean Join?' }`.
 */
import type { TargetField } from '../../connectors/contract.ts';
import type { FieldIssue } from '../../errors/app-error.ts';
import type { FieldMapping } from '../config/settings-schema.ts';
import { type CompiledMapping, compileMapping, createMappingContext } from './compile-mapping.ts';
import { type AttributeCatalog, type SourceAttribute, createAttributeCatalog } from './source-attributes.ts';

export interface ValidationOptions {
  /** Where the settings sit in the request; `body` for a PUT of the whole settings. */
  path?: string;
}

export interface CheckedMappings {
  issues: FieldIssue[];
  /** The mappings that compiled, by index (for the renderer, when there are no issues). */
  compiled: CompiledMapping[];
}

const asCatalog = (attributes: readonly SourceAttribute[] | AttributeCatalog): AttributeCatalog =>
  'get' in attributes ? attributes : createAttributeCatalog(attributes);

export function validateMappings(
  mappings: readonly FieldMapping[],
  matching: readonly string[],
  targetFields: readonly TargetField[],
  sourceAttributes: readonly SourceAttribute[] | AttributeCatalog,
  options: ValidationOptions = {},
): FieldIssue[] {
  return checkMappings(mappings, matching, targetFields, sourceAttributes, options).issues;
}

export function checkMappings(
  mappings: readonly FieldMapping[],
  matching: readonly string[],
  targetFields: readonly TargetField[],
  sourceAttributes: readonly SourceAttribute[] | AttributeCatalog,
  options: ValidationOptions = {},
): CheckedMappings {
  const root = options.path ?? 'body';
  const context = createMappingContext(targetFields, asCatalog(sourceAttributes));
  const issues: FieldIssue[] = [];
  const compiled: CompiledMapping[] = [];
  const firstIndexOf = new Map<string, number>();
  const matchingSet = new Set(matching);

  mappings.forEach((mapping, index) => {
    const path = `${root}.mappings.${index}`;
    const previous = firstIndexOf.get(mapping.target);
    if (previous !== undefined) {
      issues.push({ path: `${path}.target`, reason: `${mapping.target} is already mapped by mappings.${previous}; a field takes one mapping` });
    } else {
      firstIndexOf.set(mapping.target, index);
    }
    const result = compileMapping(mapping, context, path);
    if (!result.ok) {
      issues.push(result.error);
      return;
    }
    compiled.push(result.value);
    if (mapping.apply === 'on_create' && matchingSet.has(mapping.target)) {
      issues.push({ path: `${path}.apply`, reason: `must be always: ${mapping.target} is a matching attribute, and matching needs its current value` });
    }
  });

  for (const field of targetFields) {
    if (field.required && !firstIndexOf.has(field.key)) {
      issues.push({ path: `${root}.mappings`, reason: `must map ${field.key} (${field.label}): the target requires it` });
    }
  }

  const seen = new Set<string>();
  matching.forEach((key, index) => {
    const path = `${root}.matching.${index}`;
    const field = context.fields.get(key);
    if (seen.has(key)) issues.push({ path, reason: `${key} is listed twice` });
    else if (!field) issues.push({ path, reason: `${key} is not a field of the target` });
    else if (!field.matchable) {
      const matchable = targetFields.filter((f) => f.matchable).map((f) => f.key);
      issues.push({ path, reason: `${key} cannot be used to find an existing account; use ${matchable.join(' or ') || 'no field: this target matches none'}` });
    } else if (!firstIndexOf.has(key)) issues.push({ path, reason: `${key} is not mapped; map it or remove it from matching` });
    seen.add(key);
  });
  return { issues, compiled };
}
