/** Errors of the mapping language: values with a code, a position and a message a person can act on. */

export type ExpressionErrorCode =
  | 'empty'
  | 'too_long'
  | 'too_deep'
  | 'unexpected_character'
  | 'unterminated_string'
  | 'invalid_escape'
  | 'unterminated_attribute'
  | 'invalid_attribute'
  | 'unexpected_token'
  | 'unknown_function'
  | 'arity'
  | 'unknown_attribute'
  | 'type'
  | 'result_too_long';

/** Where in the expression: `offset` is 0-based, `line` and `column` 1-based. */
export interface SourcePosition {
  offset: number;
  line: number;
  column: number;
}

export interface ExpressionError {
  code: ExpressionErrorCode;
  /** Ends with the place, e.g. `unknown function Jion at col 1; did you mean Join?`. */
  message: string;
  position: SourcePosition;
}

export function positionAt(source: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/** `at col 7`, or `at line 2, col 7` for an expression written over several lines. */
export const placeOf = (p: SourcePosition): string => (p.line === 1 ? `at col ${p.column}` : `at line ${p.line}, col ${p.column}`);

/** Builds an error whose message reads `<what> at col N[; <hint>]`. */
export function expressionError(code: ExpressionErrorCode, source: string, offset: number, what: string, hint?: string): ExpressionError {
  const position = positionAt(source, offset);
  return { code, position, message: `${what} ${placeOf(position)}${hint ? `; ${hint}` : ''}` };
}

/** The candidate closest to `name` (case-insensitive edit distance), when close enough to be a typo. */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(wanted, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(wanted.length / 4)) ? best : undefined;
}

/** Optimal string alignment distance: a swap of two neighbours (`Jion`) counts as one edit. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row[j] = d;
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
