import { describe, expect, it } from 'vitest';
import { mappingParam, previewCsv } from './csv-preview.ts';

describe('CSV preview', () => {
  it('reads the header and counts records, with quotes, escaped quotes, quoted newlines and CRLF', () => {
    const csv = '\uFEFFE-mail,"Last, First",Note\r\nada@example.com,"Lovelace, Ada","says ""hi""\nthen leaves"\r\n\r\nbob@example.com,"Byte, Bob",\n';
    const p = previewCsv(csv);
    expect(p.headers).toEqual(['E-mail', 'Last, First', 'Note']);
    expect(p.rows).toBe(2);
    expect(p.sample[0]).toEqual(['ada@example.com', 'Lovelace, Ada', 'says "hi"\nthen leaves']);
    expect(p.sample[1]).toEqual(['bob@example.com', 'Byte, Bob', '']);
  });

  it('copes with an empty file and a file without a final newline', () => {
    expect(previewCsv('')).toEqual({ headers: [], rows: 0, sample: [] });
    expect(previewCsv('email\na@x.io').rows).toBe(1);
  });

  it('sends only the columns the admin decided, ignoring with an empty target', () => {
    const headers = ['Login', 'Cost', 'Notes', 'Name'];
    expect(mappingParam(headers, {})).toBeUndefined();
    expect(JSON.parse(mappingParam(headers, { Login: { kind: 'field', field: 'email' }, Cost: { kind: 'field', field: 'custom.costCenter' }, Notes: { kind: 'ignore' }, Name: { kind: 'auto' } })!)).toEqual({
      Login: 'email',
      Cost: 'custom.costCenter',
      Notes: '',
    });
  });
});
