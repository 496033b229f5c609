/**
 * Where a benchmark process's memory is at its peak: RSS, the JavaScript heap, and the embedded
 * database's WebAssembly memory (PGlite's PostgreSQL heap, which only ever grows). Benchmarks call
 * `watchPglite()` before opening the database, then sample while a phase runs.
 */
import { PGlite } from '@electric-sql/pglite';

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
let instance: { mod?: { HEAPU8?: Uint8Array } } | undefined;

/** Remembers the PGlite instance the next `PGlite.create` makes (benchmark processes open one). */
export function watchPglite(): void {
  const create = PGlite.create.bind(PGlite) as (...args: unknown[]) => Promise<PGlite>;
  // Benchmark-only: PGlite does not expose its WebAssembly memory; its Emscripten module does.
  (PGlite as unknown as { create: (...args: unknown[]) => Promise<PGlite> }).create = async (...args) => {
    const pg = await create(...args);
    instance = pg as unknown as typeof instance;
    return pg;
  };
}

/** MB of WebAssembly memory of the watched PGlite instance (0 with PostgreSQL). */
export const wasmMb = (): number => mb(instance?.mod?.HEAPU8?.byteLength ?? 0);

export interface MemoryPeak {
  rssMb: number;
  /** The JavaScript heap in use and the WebAssembly memory at the moment of the RSS peak. */
  heapMb: number;
  wasmMb: number;
  /** Seconds from the start of sampling to the RSS peak. */
  atS?: number;
}

/** Samples every `ms` until the returned function is called; it returns the peak. */
export function sampleMemory(ms = 100): () => MemoryPeak {
  let peak: MemoryPeak = { rssMb: 0, heapMb: 0, wasmMb: 0 };
  const t0 = performance.now();
  const sample = () => {
    const m = process.memoryUsage();
    if (mb(m.rss) > peak.rssMb) peak = { rssMb: mb(m.rss), heapMb: mb(m.heapUsed), wasmMb: wasmMb(), atS: Math.round((performance.now() - t0) / 1000) };
  };
  sample();
  const timer = setInterval(sample, ms);
  return () => {
    clearInterval(timer);
    sample();
    return peak;
  };
}

export const describePeak = (p: MemoryPeak): string => `peak RSS ${p.rssMb} MB (${p.atS === undefined ? '' : `${p.atS} s in; `}at the peak: JS heap ${p.heapMb} MB, PGlite WebAssembly memory ${p.wasmMb} MB)`;
