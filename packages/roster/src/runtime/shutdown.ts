/**
 * SIGINT/SIGTERM → one graceful stop. A second signal while stopping exits at once, so an operator
 * is never stuck behind a hung close.
 */
export function onShutdownSignals(stop: () => Promise<void>, opts: { print: (line: string) => void; exit?: (code: number) => void }): () => void {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      opts.print(`${signal} again: exiting without waiting.`);
      exit(1);
      return;
    }
    stopping = true;
    opts.print(`${signal}: stopping (finishing requests and jobs in progress)…`);
    stop().then(
      () => exit(0),
      (e: unknown) => {
        opts.print(`stop failed: ${(e as Error).message}`);
        exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
