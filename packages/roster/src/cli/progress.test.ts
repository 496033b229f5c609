import { describe, expect, it } from 'vitest';
import { createProgressBar, readNdjson, renderBar } from './progress.ts';

describe('renderBar', () => {
  it('fills in proportion and shows counts', () => {
    expect(renderBar(50, 100)).toBe(`[${'#'.repeat(15)}${'-'.repeat(15)}]  50%  50/100 rows`);
    expect(renderBar(7, undefined)).toBe('7 rows');
    expect(renderBar(120, 100)).toContain('100%');
  });
});

describe('createProgressBar', () => {
  it('draws only on a terminal', () => {
    const tty: string[] = [];
    const pipe: string[] = [];
    const bar = createProgressBar({ stdout: { write: () => true }, stderr: { write: (s: string) => tty.push(s), isTTY: true }, env: {} }, 'import');
    bar.update(1, 2);
    bar.finish();
    const quiet = createProgressBar({ stdout: { write: () => true }, stderr: { write: (s: string) => pipe.push(s) }, env: {} }, 'import');
    quiet.update(1, 2);
    quiet.finish();
    expect(tty.join('')).toMatch(/^\rimport \[#+-+\]\s+50% {2}1\/2 rows\n$/);
    expect(pipe).toEqual([]);
  });
});

describe('readNdjson', () => {
  it('parses lines split across chunks, including a last line without newline', async () => {
    const enc = new TextEncoder();
    const chunks = ['{"type":"prog', 'ress","done":1}\n{"type":"progress","done":2}\n', '{"type":"summary","created":2}'];
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (const ch of chunks) c.enqueue(enc.encode(ch));
        c.close();
      },
    });
    const seen: unknown[] = [];
    await readNdjson(stream, (v) => seen.push(v));
    expect(seen).toEqual([{ type: 'progress', done: 1 }, { type: 'progress', done: 2 }, { type: 'summary', created: 2 }]);
  });
});
