import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, exportLines, ndjsonLine } from './audit-export.ts';
import type { AuditEntryView } from './audit-query.ts';

const entry: AuditEntryView = {
  id: 7,
  at: '2026-01-01T00:00:00.000Z',
  actorId: null,
  actorEmail: 'a@b.test',
  via: 'token',
  action: 'admin.create',
  targetType: 'admin',
  targetId: 'x',
  before: null,
  after: { name: 'Ann, "the" admin' },
  requestId: null,
  targetName: 'Ann, "the" admin',
};

describe('audit export', () => {
  it('quotes cells with commas, quotes and newlines, and leaves plain ones alone', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12)).toBe('12');
  });

  it('defuses cells a spreadsheet would evaluate', () => {
    for (const v of ['=1+1', '+1', '-1', '@SUM(A1)']) expect(csvCell(v)).toBe(`'${v}`);
  });

  it('writes JSON columns as JSON, one CRLF line per entry, and NDJSON as one object per line', async () => {
    expect(csvLine(entry)).toBe(`7,2026-01-01T00:00:00.000Z,,a@b.test,token,admin.create,admin,x,,"{""name"":""Ann, \\""the\\"" admin""}",\r\n`);
    expect(JSON.parse(ndjsonLine(entry))).toEqual(entry);
    async function* two() {
      yield entry;
      yield { ...entry, id: 8 };
    }
    const chunks: string[] = [];
    for await (const c of exportLines(two(), 'csv')) chunks.push(c);
    expect(chunks).toHaveLength(3);
    expect(chunks[0]).toMatch(/^id,at,/);
  });
});
