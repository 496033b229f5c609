/**
 * Seeded fuzz of the mapping language: random token soup and random well-formed expressions. Bad
 * input must come back as an error value with a position inside the expression, never as a throw;
 * a printed tree must parse back to itself.
 */
import { describe, expect, it } from 'vitest';
import { createAttributeCatalog, sourceAttributes } from '../source-attributes.ts';
import type { ExpressionNode } from './ast.ts';
import { compileExpression } from './compile-expression.ts';
import { functionSpecs } from './functions.ts';
import { parseExpression } from './parser.ts';
import type { Value } from './values.ts';
import { seededRandom } from '../../../../test/seeded-random.ts';

const catalog = createAttributeCatalog(sourceAttributes([{ key: 'level', type: 'number' }, { key: 'remote', type: 'boolean' }]));
const names = [...functionSpecs.map((s) => s.name), 'Jion', 'iif', 'X', 'true', 'null'];
const attributes = ['[givenName]', '[email]', '[custom.level]', '[custom.remote]', '[phone]', '[nope]', '[', ']', '[]'];
const soup = ['(', ')', ',', ',', '"a"', '"\\""', '"é😀"', '"', '\\', '12', '-1', '0', '1.5', ' ', '\n', "'", '#', '日本', ...names, ...attributes];

const users: Record<string, Value>[] = [
  {},
  { givenName: 'Zoë', email: 'z@example.com', 'custom.level': 3, 'custom.remote': true, phone: '' },
  { givenName: 'x'.repeat(3000), 'custom.level': -4, 'custom.remote': 'yes' },
];

/** Whether the expression compiled (and was then evaluated for every user). */
function check(source: string): boolean {
  const compiled = compileExpression(source, catalog);
  if (!compiled.ok) {
    expect(compiled.error.position.offset).toBeGreaterThanOrEqual(0);
    expect(compiled.error.position.offset).toBeLessThanOrEqual(source.length);
    expect(compiled.error.message).toMatch(/at (line \d+, )?col \d+/);
    return false;
  }
  for (const user of users) {
    const result = compiled.value.evaluate(user);
    if (result.ok) {
      expect(['string', 'number', 'boolean', 'object']).toContain(typeof result.value);
      if (typeof result.value === 'string') expect(result.value.length).toBeLessThanOrEqual(10_000);
    } else {
      expect(result.error.position.offset).toBeLessThan(source.length);
    }
  }
  return true;
}

function print(node: ExpressionNode): string {
  if (node.kind === 'attribute') return `[${node.name}]`;
  if (node.kind === 'literal') return typeof node.value === 'string' ? `"${node.value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"` : String(node.value);
  return `${node.name}(${node.args.map(print).join(', ')})`;
}

function strip(node: ExpressionNode): unknown {
  if (node.kind === 'call') return { name: node.name, args: node.args.map(strip) };
  return node.kind === 'literal' ? { value: node.value } : { attribute: node.name };
}

function tree(next: () => number, depth: number): ExpressionNode {
  const pick = next();
  if (depth > 3 || pick < 0.4) {
    const leaves: ExpressionNode[] = [
      { kind: 'attribute', name: 'givenName', offset: 0 },
      { kind: 'literal', value: 'a "quoted" \\ é', offset: 0 },
      { kind: 'literal', value: Math.floor(next() * 20) - 5, offset: 0 },
      { kind: 'literal', value: next() < 0.5, offset: 0 },
      { kind: 'literal', value: null, offset: 0 },
    ];
    return leaves[Math.floor(next() * leaves.length)]!;
  }
  const spec = functionSpecs[Math.floor(next() * functionSpecs.length)]!;
  const count = spec.min + Math.floor(next() * 3);
  return { kind: 'call', name: spec.name, args: Array.from({ length: count }, () => tree(next, depth + 1)), offset: 0 };
}

describe('mapping language fuzz (seeded)', () => {
  it('answers 4,000 random token sequences with a value or a positioned error, never a throw', () => {
    const next = seededRandom(20261121);
    for (let i = 0; i < 4000; i++) {
      const length = 1 + Math.floor(next() * 14);
      const source = Array.from({ length }, () => soup[Math.floor(next() * soup.length)]!).join(next() < 0.5 ? '' : ' ');
      check(source);
    }
  });

  it('parses 2,000 printed random trees back to the same tree, and evaluates them without throwing', () => {
    const next = seededRandom(7);
    let parsedCount = 0;
    let compiledCount = 0;
    for (let i = 0; i < 2000; i++) {
      const node = tree(next, 0);
      const source = print(node);
      if (source.length > 2000) {
        expect(parseExpression(source)).toMatchObject({ ok: false, error: { code: 'too_long' } });
        continue;
      }
      const parsed = parseExpression(source);
      expect(parsed.ok ? true : `${source} → ${parsed.error.message}`).toBe(true);
      if (parsed.ok) expect(strip(parsed.value)).toEqual(strip(node));
      parsedCount++;
      if (check(source)) compiledCount++;
    }
    // The generator must reach the evaluator, not only the parser's and the checker's refusals.
    expect(parsedCount).toBeGreaterThan(1500);
    expect(compiledCount).toBeGreaterThan(300);
  });
});
