/** Audit entries as CSV or NDJSON lines, for the streaming export. */
import type { AuditEntryView } from './audit-query.ts';

export const auditExportFormats = ['csv', 'ndjson'] as const;
export type AuditExportFormat = (typeof auditExportFormats)[number];

export const csvColumns = ['id', 'at', 'actorId', 'actorEmail', 'via', 'action', 'targetType', 'targetId', 'before', 'after', 'requestId'] as const;

/** One CSV cell: quoted when needed, and defused when a spreadsheet would read it as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvHeader = (): string => `${csvColumns.join(',')}\r\n`;

export const csvLine = (e: AuditEntryView): string => `${csvColumns.map((c) => csvCell(e[c])).join(',')}\r\n`;

export const ndjsonLine = (e: AuditEntryView): string => `${JSON.stringify(e)}\n`;

/** The export body, chunk by chunk. */
export async function* exportLines(entries: AsyncIterable<AuditEntryView>, format: AuditExportFormat): AsyncGenerator<string> {
  if (format === 'csv') yield csvHeader();
  for await (const e of entries) yield format === 'csv' ? csvLine(e) : ndjsonLine(e);
}
