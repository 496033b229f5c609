/**
 * The `roster` command line. `runCli` never exits the process: it returns the exit code, so tests
 * run it in-process and main.ts decides. Long-running commands (serve, worker) resolve once started.
 */
import { Command, CommanderError } from 'commander';
import { ApiError } from './api-client.ts';
import { clientSettings } from './client-config.ts';
import { createKit } from './command-kit.ts';
import { registerAdminCommands } from './commands/admins.ts';
import { registerAppCommands } from './commands/apps.ts';
import { registerGroupCommands } from './commands/groups.ts';
import { registerLoginCommand } from './commands/login.ts';
import { registerServerCommands } from './commands/server-commands.ts';
import { registerTokenCommands } from './commands/tokens.ts';
import { registerUserCommands } from './commands/users.ts';
import { CliError, type CliIo } from './io.ts';

export type { CliIo } from './io.ts';

export function buildProgram(io: CliIo): Command {
  const program = new Command('roster')
    .description('Roster: identity directory and provisioning engine.\nServer commands use the database; the others call a running server with an API token.')
    .option(`${clientSettings.url.flag} <url>`, `${clientSettings.url.help} [${clientSettings.url.env}] (default: ${clientSettings.url.default})`)
    .option(`${clientSettings.token.flag} <token>`, `${clientSettings.token.help} [${clientSettings.token.env}]`)
    .option('--json', 'print JSON instead of tables (for scripts)')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    });
  const kit = createKit(io);
  registerServerCommands(program, io);
  registerLoginCommand(program, kit);
  registerUserCommands(program, kit);
  registerGroupCommands(program, kit);
  registerAppCommands(program, kit);
  registerAdminCommands(program, kit);
  registerTokenCommands(program, kit);
  program.addHelpText('after', '\nExamples:\n  $ roster serve --with-sandbox\n  $ ROSTER_TOKEN=rst_… roster users list -q ada\n\nRun `roster <command> --help` for each command, with examples. Docs: docs/cli.md\n');
  return program;
}

/** Runs the CLI on `argv` (without node and script). Resolves with the exit code: 0 ok, 1 failed, 2 usage. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return 0;
      // A bare `roster` or `roster users` shows help on stderr: treat as a usage error.
      return 2;
    }
    if (e instanceof ApiError) {
      io.stderr.write(`${e.format()}\n`);
      return 1;
    }
    if (e instanceof CliError) {
      io.stderr.write(`${e.message.startsWith('error') ? '' : 'error: '}${e.message}\n`);
      return e.exitCode;
    }
    io.stderr.write(`error: ${(e as Error).message ?? String(e)}\n`);
    return 1;
  }
}
