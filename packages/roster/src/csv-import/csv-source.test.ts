import { describe, expect, it } from 'vitest';
import { readCsv } from './csv-source.ts';

async function collect(chunks: (string | Buffer)[], maxBytes = 1_000_000) {
  const out: { row: number; values: string[] }[] = [];
  for await (const r of readCsv((async function* () { for (const c of chunks) yield typeof c === 'string' ? Buffer.from(c) : c; })(), { maxBytes })) out.push(r);
  return out;
}

describe('readCsv', () => {
  it('numbers rows from the header and keeps ragged rows', async () => {
    const rows = await collect(['email,name\r\na@x.test,A\n', 'b@x.test\n\n"c@x.test","C, Jr."\n']);
    expect(rows).toEqual([
      { row: 1, values: ['email', 'name'] },
      { row: 2, values: ['a@x.test', 'A'] },
      { row: 3, values: ['b@x.test'] },
      { row: 4, values: ['c@x.test', 'C, Jr.'] },
    ]);
  });

  it('accepts a multi-byte character split across chunks and a BOM', async () => {
    const bytes = Buffer.from('\uFEFFname\nZoë\n');
    const rows = await collect([bytes.subarray(0, 8), bytes.subarray(8)]);
    expect(rows.map((r) => r.values[0])).toEqual(['name', 'Zoë']);
  });

  it('names the row of invalid UTF-8', async () => {
    const bad = Buffer.concat([Buffer.from('email\na@x.test\n'), Buffer.from([0x62, 0xff, 0x0a])]);
    await expect(collect([bad])).rejects.toMatchObject({ code: 'csv_invalid', details: { row: 3 } });
  });

  it('stops at the size limit', async () => {
    await expect(collect(['email\n', 'x'.repeat(100)], 50)).rejects.toMatchObject({ code: 'payload_too_large' });
  });

  it('reports an unclosed quote as csv_invalid', async () => {
    await expect(collect(['email\n"a@x.test\n'])).rejects.toMatchObject({ code: 'csv_invalid' });
  });
});
