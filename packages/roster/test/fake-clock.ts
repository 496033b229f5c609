/**
 * A virtual clock for tests of code that waits through an injected `sleep`: `run(work)` moves time
 * to the next timer each time every task is idle, so paced work runs in virtual seconds.
 */
export function fakeClock() {
  let t = 0;
  const timers: { at: number; seq: number; resolve: () => void }[] = [];
  let seq = 0;
  const idle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => t,
    sleep: (ms: number) => new Promise<void>((resolve) => timers.push({ at: t + Math.max(0, ms), seq: seq++, resolve })),
    async run<T>(work: Promise<T>): Promise<T> {
      let done = false;
      void work.finally(() => (done = true)).catch(() => undefined);
      for (;;) {
        await idle();
        if (done) return work;
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers.shift();
        if (!next) throw new Error('deadlock: nothing scheduled and the work has not finished');
        t = Math.max(t, next.at);
        next.resolve();
      }
    },
  };
}
