/**
 * Reads a CSV upload as a stream of records: checks the bytes are UTF-8 (naming the line where they
 * stop being so), enforces a size limit while reading, and never holds more than a chunk in memory.
 */
import { isUtf8 } from 'node:buffer';
import { Readable, pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { AppError } from '../errors/app-error.ts';

export interface CsvRecord {
  /** 1-based; the header is row 1. */
  row: number;
  values: string[];
}

/** Bytes a trailing incomplete UTF-8 sequence occupies at the end of `buf` (0 when it ends cleanly). */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back] as number;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence. */
function firstInvalid(buf: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = buf.length;
  // Binary search on the longest valid prefix; only runs once, on the error path.
  while (hi - lo > 4) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(buf.subarray(0, mid - incompleteTail(buf.subarray(0, mid))));
      lo = mid - incompleteTail(buf.subarray(0, mid));
    } catch {
      hi = mid;
    }
  }
  return lo;
}

const countNewlines = (buf: Buffer, end = buf.length): number => {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1 && i < end; i = buf.indexOf(10, i + 1)) n++;
  return n;
};

async function* utf8Text(source: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let pending: Buffer = Buffer.alloc(0);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of source) {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += data.length;
    if (bytes > maxBytes) {
      throw new AppError('payload_too_large', `The CSV is larger than ${Math.floor(maxBytes / 1024 / 1024)} MB.`, { issues: [{ path: 'body', reason: 'too large' }] });
    }
    const all = pending.length > 0 ? Buffer.concat([pending, data]) : data;
    const cut = all.length - incompleteTail(all);
    const complete = all.subarray(0, cut);
    if (!isUtf8(complete)) {
      const row = lines + countNewlines(complete, firstInvalid(complete)) + 1;
      throw new AppError('csv_invalid', `Row ${row} is not valid UTF-8; save the file as UTF-8 and upload it again.`, {
        issues: [{ path: `body.row.${row}`, reason: 'invalid UTF-8' }],
        details: { row },
      });
    }
    lines += countNewlines(complete);
    pending = Buffer.from(all.subarray(cut));
    if (complete.length > 0) yield decoder.decode(complete, { stream: true });
  }
  if (pending.length > 0) {
    const row = lines + 1;
    throw new AppError('csv_invalid', `Row ${row} ends in the middle of a UTF-8 character.`, { issues: [{ path: `body.row.${row}`, reason: 'invalid UTF-8' }], details: { row } });
  }
}

/**
 * Yields the header (row 1) and then every record with its row number. A record whose column count
 * differs from the header's is still yielded: the caller reports it as a row error.
 */
export async function* readCsv(source: AsyncIterable<Buffer | string>, opts: { maxBytes: number }): AsyncGenerator<CsvRecord> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, record_delimiter: ['\r\n', '\n'] });
  const text = Readable.from(utf8Text(source, opts.maxBytes));
  // pipeline forwards a failure of either side to the iterator below.
  pipeline(text, parser, () => undefined);
  let row = 0;
  try {
    for await (const values of parser as AsyncIterable<string[]>) {
      row++;
      yield { row, values };
    }
  } catch (e) {
    if (e instanceof CsvError) {
      const at = (e as CsvError & { records?: number }).records ?? row;
      throw new AppError('csv_invalid', `The CSV cannot be read after row ${at}: ${e.message}`, { issues: [{ path: `body.row.${at + 1}`, reason: e.message }], details: { row: at + 1 } });
    }
    throw e;
  } finally {
    text.destroy();
  }
}
