/**
 * What the import page reads from a CSV file before sending it: the header cells (for the column
 * mapping) and how many data rows it holds (for the progress bar). The server parses the file
 * for real; this only has to agree on quoting (RFC 4180: "" escapes a quote, quoted newlines).
 */

export interface CsvPreview {
  headers: string[];
  /** Records after the header (blank lines not counted). */
  rows: number;
  /** The first data records, for a glance before importing. */
  sample: string[][];
}

export function previewCsv(text: string, sampleSize = 5): CsvPreview {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  let rows = 0;
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let headers: string[] | null = null;
  const endRecord = () => {
    record.push(field);
    field = '';
    const blank = record.length === 1 && record[0] === '';
    if (!blank) {
      if (headers === null) headers = record.map((h) => h.trim());
      else {
        rows++;
        if (records.length < sampleSize) records.push(record);
      }
    }
    record = [];
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      endRecord();
    } else field += c;
  }
  if (field !== '' || record.length > 0) endRecord();
  return { headers: headers ?? [], rows, sample: records };
}

/** Where a CSV column goes: recognised by the server from its header, ignored, or a named field. */
export type ColumnChoice = { kind: 'auto' } | { kind: 'ignore' } | { kind: 'field'; field: string };

/** The `mapping` query parameter of POST /api/users/import: only columns the admin decided. */
export function mappingParam(headers: readonly string[], choices: Record<string, ColumnChoice>): string | undefined {
  const mapping: Record<string, string> = {};
  for (const h of headers) {
    const c = choices[h];
    if (!c || c.kind === 'auto') continue;
    mapping[h] = c.kind === 'ignore' ? '' : c.field;
  }
  return Object.keys(mapping).length > 0 ? JSON.stringify(mapping) : undefined;
}
