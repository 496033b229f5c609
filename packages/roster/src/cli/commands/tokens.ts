/** `roster tokens …`: your own API tokens (the CLI authenticates with one). */
import type { Command } from 'commander';
import { type Kit, examples, positiveInt } from '../command-kit.ts';
import type { Column } from '../output.ts';

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

const tokenColumns: Column<TokenRow>[] = [
  { header: 'id', value: (t) => t.id },
  { header: 'name', value: (t) => t.name },
  { header: 'prefix', value: (t) => `${t.prefix}…` },
  { header: 'created', value: (t) => t.createdAt },
  { header: 'last used', value: (t) => t.lastUsedAt },
  { header: 'expires', value: (t) => t.expiresAt ?? 'never' },
  { header: 'revoked', value: (t) => t.revokedAt },
];

export function registerTokenCommands(program: Command, kit: Kit): void {
  const tokens = program.command('tokens').description('your API tokens (for the CLI and scripts)');
  examples(tokens, ['roster tokens create laptop', 'roster tokens list']);

  const list = tokens.command('list').description('list your tokens (never their values)').action(async (_o, cmd: Command) => {
    const page = await kit.client(cmd).json<{ items: TokenRow[] }>('GET', '/api/tokens');
    kit.output(cmd).list(page, tokenColumns);
  });
  examples(list, ['roster tokens list']);

  const create = tokens
    .command('create <name>')
    .description('create a token; its value is printed once')
    .option('--expires-in-days <n>', 'expire after n days (default: never; revoke it when done)', positiveInt)
    .action(async (name: string, o: { expiresInDays?: number }, cmd: Command) => {
      const body = { name, ...(o.expiresInDays ? { expiresInDays: o.expiresInDays } : {}) };
      const result = await kit.client(cmd).json<{ token: TokenRow; value: string }>('POST', '/api/tokens', { body });
      kit.output(cmd).done(`${result.value}\n(token ${result.token.id} "${result.token.name}": shown only now; use it as ROSTER_TOKEN)`, result);
    });
  examples(create, ['roster tokens create laptop --expires-in-days 90', 'export ROSTER_TOKEN=$(roster tokens create ci --json | jq -r .value)']);

  const revoke = tokens.command('revoke <id>').description('revoke one of your tokens').action(async (id: string, _o, cmd: Command) => {
    const token = await kit.client(cmd).json<TokenRow>('DELETE', `/api/tokens/${id}`);
    kit.output(cmd).done(`revoked token ${token.id} (${token.name})`, token);
  });
  examples(revoke, ['roster tokens revoke 3b9d…']);
}
