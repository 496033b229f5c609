/** The parsed form of a mapping expression. `offset` points at the node's first character. */
export type ExpressionNode =
  | { kind: 'literal'; value: string | number | boolean | null; offset: number }
  | { kind: 'attribute'; name: string; offset: number }
  | { kind: 'call'; name: string; args: ExpressionNode[]; offset: number };
