/** Entry point of `roster` (bin/roster.js and `npm start` run this file through tsx). */
import { runCli } from './run-cli.ts';

// `roster users list | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin });
// exitCode, not exit(): `serve` and `worker` keep running until a signal stops them.
process.exitCode = code;
