/** Test helpers: run the CLI in-process with captured output, against a listening test server. */
import { openTestApp, type TestApp } from '../../test/test-app.ts';
import type { Driver } from '../../test/test-database.ts';
import { runCli } from './run-cli.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(argv: string[], env: Record<string, string | undefined> = {}, opts: { cwd?: string; tty?: boolean; stdin?: string } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), ...(opts.tty ? { isTTY: true } : {}) },
    env,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.stdin === undefined ? {} : { stdin: [opts.stdin] }),
  });
  return { code, stdout, stderr };
}

/** A test app listening on a free port, and the environment that points the CLI at it as the owner. */
export async function openCliServer(driver: Driver): Promise<{ h: TestApp; env: Record<string, string> }> {
  const h = await openTestApp(driver);
  const url = await h.app.listen({ port: 0, host: '127.0.0.1' });
  return { h, env: { ROSTER_URL: url, ROSTER_TOKEN: h.owner.token } };
}
