/**
 * The live preview of one mapping in the UI: the value it would write for a sample user, the
 * attribute values it read, or the first problem with its place in the expression.
 */
import type { TargetField } from '../../connectors/contract.ts';
import type { FieldMapping } from '../config/settings-schema.ts';
import { compileMapping, createMappingContext } from './compile-mapping.ts';
import { compileExpression } from './expression/compile-expression.ts';
import type { SourcePosition } from './expression/errors.ts';
import type { Value } from './expression/values.ts';
import { type AttributeCatalog, type SourceAttribute, type SourceUser, createAttributeCatalog } from './source-attributes.ts';
import { type TargetValue, toTargetValue } from './target-values.ts';

export interface MappingPreview {
  /** What would be written; null when there is an error. */
  value: TargetValue;
  /** Path relative to the mapping (`target`, `source.expression`…), with the column for expressions. */
  error: { path: string; reason: string; position?: SourcePosition } | null;
  /** The directory values the mapping read, by attribute name. */
  inputs: Record<string, Value>;
}

export function previewMapping(
  mapping: FieldMapping,
  sampleUser: SourceUser,
  catalog: { targetFields: readonly TargetField[]; sourceAttributes: readonly SourceAttribute[] | AttributeCatalog },
): MappingPreview {
  const attributes = 'get' in catalog.sourceAttributes ? catalog.sourceAttributes : createAttributeCatalog(catalog.sourceAttributes);
  const context = createMappingContext(catalog.targetFields, attributes);
  const inputsOf = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, sampleUser[n] ?? null]));
  const failed = (path: string, reason: string, inputs: Record<string, Value> = {}, position?: SourcePosition): MappingPreview => ({
    value: null,
    error: { path, reason, ...(position ? { position } : {}) },
    inputs,
  });

  const compiled = compileMapping(mapping, context, 'mapping');
  if (!compiled.ok) {
    const path = compiled.error.path.slice('mapping.'.length);
    if (mapping.source.kind === 'expression' && path === 'source.expression') {
      const expression = compileExpression(mapping.source.expression, attributes);
      if (!expression.ok) return failed(path, expression.error.message, {}, expression.error.position);
    }
    return failed(path, compiled.error.reason);
  }
  const inputs = inputsOf(compiled.value.reads);
  if (mapping.source.kind === 'expression') {
    // Evaluated here rather than through `read` to keep the error's position for the editor.
    const expression = compileExpression(mapping.source.expression, attributes);
    if (!expression.ok) return failed('source.expression', expression.error.message, inputs, expression.error.position);
    const result = expression.value.evaluate(sampleUser);
    if (!result.ok) return failed('source.expression', result.error.message, inputs, result.error.position);
    const converted = toTargetValue(result.value, compiled.value.field);
    return converted.ok ? { value: converted.value, error: null, inputs } : failed('source.expression', converted.error, inputs);
  }
  const result = compiled.value.read(sampleUser);
  return result.ok ? { value: result.value, error: null, inputs } : failed(`source.${mapping.source.kind === 'constant' ? 'value' : 'attribute'}`, result.error, inputs);
}
