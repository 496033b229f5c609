import { describe, expect, it } from 'vitest';
import { ndjsonLines } from './ndjson.ts';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch));
      c.close();
    },
  });
}

describe('ndjson lines', () => {
  it('yields each line once, whatever the chunking, including a last line without newline', async () => {
    const out: unknown[] = [];
    for await (const v of ndjsonLines(streamOf(['{"type":"pro', 'gress","rows":1000}\n{"type":"progress","rows":2000}\n\n{"type":"summ', 'ary","counts":{"rows":2500}}']))) out.push(v);
    expect(out).toEqual([{ type: 'progress', rows: 1000 }, { type: 'progress', rows: 2000 }, { type: 'summary', counts: { rows: 2500 } }]);
  });

  it('keeps multi-byte characters split across chunks', async () => {
    const bytes = new TextEncoder().encode('{"name":"Zoë"}\n');
    const s = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 12));
        c.enqueue(bytes.slice(12));
        c.close();
      },
    });
    const out: unknown[] = [];
    for await (const v of ndjsonLines(s)) out.push(v);
    expect(out).toEqual([{ name: 'Zoë' }]);
  });
});
