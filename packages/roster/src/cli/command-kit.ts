/** Shared pieces of client commands: global options → client and output, examples, paging. */
import { type Command, InvalidArgumentError } from 'commander';
import { type ApiClient, createApiClient } from './api-client.ts';
import { loadClientConfig } from './client-config.ts';
import type { CliIo } from './io.ts';
import { type Output, createOutput } from './output.ts';

export interface Kit {
  io: CliIo;
  client(cmd: Command): ApiClient;
  output(cmd: Command): Output;
}

export function createKit(io: CliIo): Kit {
  return {
    io,
    client(cmd) {
      const o = cmd.optsWithGlobals<{ url?: string; token?: string }>();
      return createApiClient(loadClientConfig(io.env, { url: o.url, token: o.token }), io.fetch ?? fetch);
    },
    output(cmd) {
      return createOutput(io, Boolean(cmd.optsWithGlobals<{ json?: boolean }>().json));
    },
  };
}

/** Appends an "Examples" section to a command's --help. */
export function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

/** commander argument parser for positive integers (`--limit 50`). */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number above 0');
  return n;
}

/** Repeatable `key=value` option collector (`--custom costCenter=A --custom site=Oslo`). */
export function keyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const i = value.indexOf('=');
  if (i <= 0) throw new InvalidArgumentError(`"${value}" must look like key=value`);
  return { ...previous, [value.slice(0, i).trim()]: value.slice(i + 1).trim() };
}

/** Adds --limit, --cursor and --all to a list command. */
export function withPaging(cmd: Command): Command {
  return cmd
    .option('--limit <n>', 'items per page (1–500)', positiveInt)
    .option('--cursor <cursor>', 'continue after a previous page (printed at its end)')
    .option('--all', 'follow every page');
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Fetches one page, or every page with --all. */
export async function fetchPages<T>(client: ApiClient, path: string, query: Record<string, string | number | boolean | undefined>, paging: { limit?: number; cursor?: string; all?: boolean }): Promise<Page<T>> {
  const items: T[] = [];
  let cursor = paging.cursor;
  for (;;) {
    const page = await client.json<Page<T>>('GET', path, { query: { ...query, limit: paging.limit, cursor } });
    items.push(...page.items);
    if (!paging.all || !page.nextCursor) return { items, nextCursor: paging.all ? null : page.nextCursor };
    cursor = page.nextCursor;
  }
}

/** `If-Match` when the user named the version they read. */
export const ifMatch = (version: number | undefined): Record<string, string> => (version === undefined ? {} : { 'if-match': `"${version}"` });
