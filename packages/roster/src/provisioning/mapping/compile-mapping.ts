/**
 * One field mapping, checked and compiled: its target resolved to a `TargetField`, its source to a
 * reader that yields the value in the target's type. Shared by validation, rendering and preview,
 * so all three judge a mapping the same way.
 */
import type { TargetField } from '../../connectors/contract.ts';
import type { FieldIssue } from '../../errors/app-error.ts';
import type { Result } from '../../errors/result.ts';
import type { FieldMapping } from '../config/settings-schema.ts';
import { compileExpression } from './expression/compile-expression.ts';
import { nearestName } from './expression/errors.ts';
import type { AttributeCatalog, SourceUser } from './source-attributes.ts';
import { type TargetValue, neverFits, toTargetValue } from './target-values.ts';

export interface CompiledMapping {
  target: string;
  field: TargetField;
  apply: FieldMapping['apply'];
  /** Directory attributes the mapping reads (for the preview and for change detection). */
  reads: readonly string[];
  /** The value to write for this user, or why there is none. */
  read(user: SourceUser): Result<TargetValue, string>;
}

/** The target fields and source attributes a mapping is checked against. */
export interface MappingContext {
  fields: ReadonlyMap<string, TargetField>;
  attributes: AttributeCatalog;
}

export function createMappingContext(targetFields: readonly TargetField[], attributes: AttributeCatalog): MappingContext {
  return { fields: new Map(targetFields.map((f) => [f.key, f])), attributes };
}

/** `path` is where the mapping sits in the request, e.g. `body.mappings.3`. */
export function compileMapping(mapping: FieldMapping, context: MappingContext, path: string): Result<CompiledMapping, FieldIssue> {
  const field = context.fields.get(mapping.target);
  if (!field) {
    const near = nearestName(mapping.target, context.fields.keys());
    return issue(`${path}.target`, `is not a field of the target${near ? `; did you mean ${near}?` : ''}`);
  }
  const base = { target: field.key, field, apply: mapping.apply };
  const source = mapping.source;
  switch (source.kind) {
    case 'constant': {
      const value = toTargetValue(source.value, field);
      if (!value.ok) return issue(`${path}.source.value`, `${value.error} (${field.key} is of type ${field.type})`);
      const constant = value;
      return { ok: true, value: { ...base, reads: [], read: () => constant } };
    }
    case 'attribute': {
      const attribute = context.attributes.get(source.attribute);
      if (!attribute) {
        const near = nearestName(source.attribute, context.attributes.names);
        return issue(`${path}.source.attribute`, `is not a directory attribute${near ? `; did you mean ${near}?` : ''}`);
      }
      const mismatch = neverFits(attribute.type, field);
      if (mismatch) return issue(`${path}.source.attribute`, `${attribute.name} ${mismatch}`);
      const name = attribute.name;
      return { ok: true, value: { ...base, reads: [name], read: (user) => toTargetValue(user[name] ?? null, field) } };
    }
    case 'expression': {
      const compiled = compileExpression(source.expression, context.attributes);
      if (!compiled.ok) return issue(`${path}.source.expression`, compiled.error.message);
      const expression = compiled.value;
      const mismatch = neverFits(expression.type, field);
      if (mismatch) return issue(`${path}.source.expression`, `the expression ${mismatch}`);
      return {
        ok: true,
        value: {
          ...base,
          reads: expression.attributes,
          read(user) {
            const result = expression.evaluate(user);
            return result.ok ? toTargetValue(result.value, field) : { ok: false, error: result.error.message };
          },
        },
      };
    }
  }
}

const issue = (path: string, reason: string): Result<never, FieldIssue> => ({ ok: false, error: { path, reason } });
