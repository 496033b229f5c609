/** Polling for `--wait` (cycles, dry runs, import sessions run as jobs) and reading secrets off argv. */
import { CliError, type CliIo } from './io.ts';
import { createProgressBar } from './progress.ts';

export interface WaitOptions<T> {
  /** Shown before the bar, e.g. "cycle". */
  label: string;
  unit: string;
  /** Seconds before giving up (the job goes on on the server). */
  timeoutSeconds: number;
  intervalMs?: number;
  /** done/total for the bar, when the answer says. */
  progress?(value: T): { done: number; total: number | null } | undefined;
}

/** Calls `poll` until `finished` says so; draws a bar on a terminal; exits 1 on timeout. */
export async function waitUntil<T>(io: CliIo, poll: () => Promise<T>, finished: (value: T) => boolean, opts: WaitOptions<T>): Promise<T> {
  const bar = createProgressBar(io, opts.label, opts.unit);
  const deadline = Date.now() + opts.timeoutSeconds * 1000;
  try {
    for (;;) {
      const value = await poll();
      if (finished(value)) return value;
      const p = opts.progress?.(value);
      if (p) bar.update(p.done, p.total ?? undefined);
      if (Date.now() > deadline) throw new CliError(`gave up waiting after ${opts.timeoutSeconds} s (the ${opts.label} goes on on the server; raise --timeout or check again later)`);
      await new Promise((resolve) => setTimeout(resolve, opts.intervalMs ?? 500));
    }
  } finally {
    bar.finish();
  }
}

/**
 * A secret given as `-` (read from standard input) or taken from the environment variable `env`.
 * Anything else is refused: a secret on the command line is visible to every local user in `ps` and
 * stays in the shell history.
 */
export async function readSecret(io: CliIo, value: string | undefined, env: string, flag: string): Promise<string> {
  if (value !== undefined && value !== '-') throw new CliError(`${flag} takes "-" (read from standard input), or leave it out and set ${env}: a secret on the command line shows in \`ps\` and the shell history`, 2);
  if (value === '-') {
    if (!io.stdin) throw new CliError(`${flag} -: no standard input to read`, 2);
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of io.stdin) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const secret = text.trim();
    if (!secret) throw new CliError(`${flag} -: standard input was empty`, 2);
    return secret;
  }
  const fromEnv = io.env[env]?.trim();
  if (!fromEnv) throw new CliError(`set ${env}, or pass ${flag} - and write it to standard input`, 2);
  return fromEnv;
}
