/** A progress bar on stderr (only when it is a terminal) and an NDJSON stream reader to drive it. */
import type { CliIo } from './io.ts';

export interface ProgressBar {
  update(done: number, total: number | undefined): void;
  finish(): void;
}

const WIDTH = 30;

export function renderBar(done: number, total: number | undefined, unit = 'rows'): string {
  if (!total) return `${done} ${unit}`;
  const ratio = Math.min(1, done / total);
  const filled = Math.round(ratio * WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%  ${done}/${total} ${unit}`;
}

export function createProgressBar(io: CliIo, label: string, unit?: string): ProgressBar {
  const tty = Boolean(io.stderr.isTTY);
  let drawn = false;
  return {
    update(done, total) {
      if (!tty) return;
      io.stderr.write(`\r${label} ${renderBar(done, total, unit)}`);
      drawn = true;
    },
    finish() {
      if (drawn) io.stderr.write('\n');
    },
  };
}

/** Calls `onLine` with each JSON line of a streamed response body as it arrives. */
export async function readNdjson(body: ReadableStream<Uint8Array> | null, onLine: (value: Record<string, unknown>) => void): Promise<void> {
  if (!body) return;
  const decoder = new TextDecoder();
  let buffered = '';
  const flush = (final: boolean) => {
    const lines = buffered.split('\n');
    buffered = final ? '' : (lines.pop() ?? '');
    for (const line of lines) if (line.trim()) onLine(JSON.parse(line) as Record<string, unknown>);
  };
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    flush(false);
  }
  buffered += decoder.decode();
  flush(true);
}
