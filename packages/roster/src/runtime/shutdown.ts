/**
 * SIGINT/SIGTERM → one graceful stop. A second signal sent after that exits at once, so an operator
 * is never stuck behind a hung close.
 *
 * One Ctrl+C often reaches the server twice: the terminal signals every process of the foreground
 * group, and a wrapper in that group forwards the same signal to its child again (`npm run` does so
 * for SIGINT and SIGTERM; `tsx`'s CLI did too, and killed its child with SIGKILL when the child did not
 * acknowledge within 30 ms). So a repeat that arrives within `echoMs` of the first signal is that
 * same keypress, not a second request, and is ignored.
 */
export const SIGNAL_ECHO_MS = 1000;

export interface ShutdownSignalOptions {
  print: (line: string) => void;
  exit?: (code: number) => void;
  /** Milliseconds since some origin (default: a monotonic clock). */
  now?: () => number;
  echoMs?: number;
}

export function onShutdownSignals(stop: () => Promise<void>, opts: ShutdownSignalOptions): () => void {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const now = opts.now ?? (() => performance.now());
  const echoMs = opts.echoMs ?? SIGNAL_ECHO_MS;
  let stoppingSince: number | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      if (now() - stoppingSince < echoMs) return;
      opts.print(`${signal} again: exiting without waiting.`);
      exit(1);
      return;
    }
    stoppingSince = now();
    opts.print(`${signal}: stopping (finishing requests and jobs in progress; send it again to exit without waiting)…`);
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
