/** Human tables by default, JSON with --json (for scripts and `jq`). */
import type { CliIo } from './io.ts';

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(cell).join(',');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

/** Pads columns to their widest cell; the last column is never padded. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => cell(c.value(r)).replace(/\s+/g, ' ')));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] as string).length)));
  const line = (parts: string[]) => parts.map((p, i) => (i === parts.length - 1 ? p : p.padEnd(widths[i] as number))).join('  ').trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join('\n');
}

/** `key  value` lines for one object. */
export function formatRecord(record: Record<string, unknown>): string {
  const keys = Object.keys(record);
  const width = Math.max(0, ...keys.map((k) => k.length));
  return keys.map((k) => `${k.padEnd(width)}  ${cell(record[k])}`).join('\n');
}

export interface Output {
  json: boolean;
  /** Prints a list (table, or the JSON page) and a hint when more pages exist. */
  list<T>(page: { items: T[]; nextCursor?: string | null }, columns: readonly Column<T>[]): void;
  /** Prints one object (record lines, or JSON). */
  record(value: unknown): void;
  /** A human message; in --json mode `value` (if given) is printed instead. */
  done(message: string, value?: unknown): void;
}

export function createOutput(io: CliIo, json: boolean): Output {
  const out = (text: string) => io.stdout.write(`${text}\n`);
  return {
    json,
    list(page, columns) {
      if (json) return void out(JSON.stringify(page, null, 2));
      out(page.items.length === 0 ? '(none)' : formatTable(page.items, columns));
      if (page.nextCursor) out(`… more: add --cursor ${page.nextCursor}`);
    },
    record(value) {
      if (json || typeof value !== 'object' || value === null) return void out(JSON.stringify(value, null, 2));
      out(formatRecord(value as Record<string, unknown>));
    },
    done(message, value) {
      if (json) out(JSON.stringify(value ?? { ok: true }, null, 2));
      else out(message);
    },
  };
}
