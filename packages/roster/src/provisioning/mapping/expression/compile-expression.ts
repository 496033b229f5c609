/**
 * Turns a mapping expression into a closure tree, checked once: function names and arities,
 * attribute references, and argument types as far as they are known before evaluation. A subtree
 * that reads no attribute is evaluated here, so its errors surface on save and it costs nothing later.
 */
import type { Result } from '../../../errors/result.ts';
import type { AttributeCatalog, SourceAttributeType, SourceUser } from '../source-attributes.ts';
import type { ExpressionNode } from './ast.ts';
import { type ExpressionError, expressionError, nearestName } from './errors.ts';
import { type CallContext, type Thunk, MAX_RESULT_LENGTH, findFunction, functionSpecs, paramType } from './functions.ts';
import { parseExpression } from './parser.ts';
import { type Value, type ValueType, typeOf } from './values.ts';

export interface CompiledExpression {
  readonly source: string;
  /** What the expression yields, as far as known before evaluation. */
  readonly type: ValueType;
  /** Attributes it reads, by their catalogue names. */
  readonly attributes: readonly string[];
  evaluate(user: SourceUser): Result<Value, ExpressionError>;
}

/** Thrown only by evaluation inside this module and caught at its boundary, so the hot path allocates no Result per call. */
class EvaluationFailure {
  constructor(readonly error: ExpressionError) {}
}

interface Built {
  thunk: Thunk;
  type: ValueType;
  constant: boolean;
}

const STATIC: Record<SourceAttributeType, ValueType> = { string: 'string', date: 'string', enum: 'string', number: 'number', boolean: 'boolean' };

const accepts = (param: ValueType, arg: ValueType): boolean =>
  param === 'any' || param === 'string' || arg === 'any' || arg === 'null' || arg === param;

const article = (t: ValueType) => (t === 'any' || t === 'null' ? t : `a ${t}`);

export function compileExpression(source: string, catalog: AttributeCatalog): Result<CompiledExpression, ExpressionError> {
  const parsed = parseExpression(source);
  if (!parsed.ok) return parsed;
  const attributes = new Set<string>();
  const fail = (code: ExpressionError['code'], offset: number, what: string, hint?: string): never => {
    throw new EvaluationFailure(expressionError(code, source, offset, what, hint));
  };

  const build = (node: ExpressionNode): Built => {
    if (node.kind === 'literal') {
      const value = node.value;
      return { thunk: () => value, type: typeOf(value), constant: true };
    }
    if (node.kind === 'attribute') {
      const attribute = catalog.get(node.name);
      if (!attribute) {
        const near = nearestName(node.name, catalog.names);
        return fail('unknown_attribute', node.offset, `unknown attribute [${node.name}]`, near ? `did you mean [${near}]?` : 'custom attributes are written [custom.<key>]');
      }
      const name = attribute.name;
      attributes.add(name);
      return { thunk: (user) => user[name] ?? null, type: STATIC[attribute.type], constant: false };
    }
    const spec = findFunction(node.name);
    if (!spec) {
      const near = nearestName(node.name, functionSpecs.map((s) => s.name));
      return fail('unknown_function', node.offset, `unknown function ${node.name}`, near ? `did you mean ${near}?` : undefined);
    }
    const count = node.args.length;
    const arityProblem = count < spec.min || count > spec.max ? arityText(spec.min, spec.max) : spec.arityRule?.(count);
    if (arityProblem) return fail('arity', node.offset, `${spec.name} ${arityProblem}, got ${count}`, `use ${spec.signature}`);
    const args = node.args.map(build);
    args.forEach((arg, i) => {
      const expected = paramType(spec, i);
      if (!accepts(expected, arg.type)) {
        fail('type', node.args[i]!.offset, `argument ${i + 1} of ${spec.name} must be ${article(expected)}, not ${article(arg.type)}`, `use ${spec.signature}`);
      }
    });
    const context: CallContext = {
      args: args.map((a) => a.thunk),
      fail: (message, index) => fail('type', index === undefined ? node.offset : node.args[index]!.offset, `${spec.name}: ${message}`),
    };
    const thunk: Thunk = (user) => {
      const value = spec.evaluate(context, user);
      if (typeof value === 'string' && value.length > MAX_RESULT_LENGTH) {
        fail('result_too_long', node.offset, `${spec.name} produced ${value.length} characters, more than ${MAX_RESULT_LENGTH}`);
      }
      return value;
    };
    if (args.every((a) => a.constant)) {
      const value = thunk({});
      return { thunk: () => value, type: typeOf(value), constant: true };
    }
    return { thunk, type: spec.returns, constant: false };
  };

  try {
    const built = build(parsed.value);
    const thunk = built.thunk;
    return {
      ok: true,
      value: {
        source,
        type: built.type,
        attributes: [...attributes],
        evaluate(user) {
          try {
            return { ok: true, value: thunk(user) };
          } catch (e) {
            if (e instanceof EvaluationFailure) return { ok: false, error: e.error };
            throw e;
          }
        },
      },
    };
  } catch (e) {
    if (e instanceof EvaluationFailure) return { ok: false, error: e.error };
    throw e;
  }
}

function arityText(min: number, max: number): string {
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  if (min === max) return `takes ${plural(min)}`;
  if (max === Infinity) return `takes at least ${plural(min)}`;
  return `takes ${min} to ${max} arguments`;
}
