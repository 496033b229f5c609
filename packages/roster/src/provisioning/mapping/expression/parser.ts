/**
 * Recursive-descent parser of the mapping language:
 *
 *   expression := call | '[' attribute ']' | string | number | 'true' | 'false' | 'null'
 *   call       := Name '(' [ expression { ',' expression } ] ')'
 *
 * Nesting is limited to {@link MAX_DEPTH} calls so a hostile expression cannot exhaust the stack.
 */
import type { Result } from '../../../errors/result.ts';
import type { ExpressionNode } from './ast.ts';
import { type ExpressionError, expressionError } from './errors.ts';
import { type Token, tokenize } from './tokenizer.ts';

export const MAX_DEPTH = 32;

const KEYWORDS: Record<string, boolean | null> = { true: true, false: false, null: null };

/** Thrown only inside this module and caught by `parseExpression`: unwinds a deep descent in one step. */
class ParseFailure {
  constructor(readonly error: ExpressionError) {}
}

export function parseExpression(source: string): Result<ExpressionNode, ExpressionError> {
  if (source.trim() === '') return { ok: false, error: expressionError('empty', source, 0, 'empty expression') };
  const tokens = tokenize(source);
  if (!tokens.ok) return tokens;
  const list = tokens.value;
  let at = 0;
  const peek = (): Token => list[at]!;
  const fail = (code: ExpressionError['code'], offset: number, what: string, hint?: string): never => {
    throw new ParseFailure(expressionError(code, source, offset, what, hint));
  };

  const parseNode = (depth: number): ExpressionNode => {
    const token = peek();
    switch (token.kind) {
      case 'string':
      case 'number':
        at++;
        return { kind: 'literal', value: token.value, offset: token.offset };
      case 'attribute':
        at++;
        return { kind: 'attribute', name: token.name, offset: token.offset };
      case 'name': {
        at++;
        const keyword = KEYWORDS[token.text.toLowerCase()];
        if (keyword !== undefined && peek().kind !== '(') return { kind: 'literal', value: keyword, offset: token.offset };
        if (peek().kind !== '(') {
          return fail('unexpected_token', token.offset, `unexpected name ${token.text}`, `write [${token.text}] for an attribute or ${token.text}(…) for a function`);
        }
        if (depth >= MAX_DEPTH) fail('too_deep', token.offset, `functions nested more than ${MAX_DEPTH} deep`);
        at++;
        const args: ExpressionNode[] = [];
        if (peek().kind === ')') {
          at++;
          return { kind: 'call', name: token.text, args, offset: token.offset };
        }
        for (;;) {
          args.push(parseNode(depth + 1));
          const next = peek();
          if (next.kind === ',') {
            at++;
          } else if (next.kind === ')') {
            at++;
            return { kind: 'call', name: token.text, args, offset: token.offset };
          } else if (next.kind === 'end') {
            return fail('unexpected_token', next.offset, `missing ) to close ${token.text}(`);
          } else {
            return fail('unexpected_token', next.offset, `unexpected ${describe(next)}`, 'expected , or )');
          }
        }
      }
      case 'end':
        return fail('unexpected_token', token.offset, 'unexpected end of expression', 'expected a value');
      default:
        return fail('unexpected_token', token.offset, `unexpected ${describe(token)}`, 'expected a value');
    }
  };

  try {
    const node = parseNode(0);
    const rest = peek();
    if (rest.kind !== 'end') fail('unexpected_token', rest.offset, `unexpected ${describe(rest)} after the end of the expression`);
    return { ok: true, value: node };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: e.error };
    throw e;
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'name':
      return `name ${token.text}`;
    case 'attribute':
      return `attribute [${token.name}]`;
    case 'string':
      return 'string';
    case 'number':
      return `number ${token.value}`;
    case 'end':
      return 'end of expression';
    default:
      return `'${token.kind}'`;
  }
}
