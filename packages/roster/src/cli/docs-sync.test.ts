/** The docs that restate code facts must stay equal to the code: error codes, settings, CLI commands. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { httpStatusByCode } from '../api/error-handler.ts';
import { settings } from '../config/config.ts';
import { errorCodes } from '../errors/app-error.ts';
import { clientSettings } from './client-config.ts';
import { buildProgram } from './run-cli.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** Table rows of a markdown file as arrays of trimmed cells, keyed by the first cell without backticks. */
function tableRows(markdown: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|') || /^\|[-\s|]+\|$/.test(line)) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    rows.set((cells[0] ?? '').replace(/`/g, ''), cells);
  }
  return rows;
}

describe('docs/errors.md', () => {
  const rows = tableRows(read('docs/errors.md'));
  it.each(Object.keys(errorCodes))('documents %s with its HTTP status and retry class', (code) => {
    const row = rows.get(code);
    expect(row, `docs/errors.md has no row for ${code}`).toBeDefined();
    expect(row?.[1]).toBe(String(httpStatusByCode[code as keyof typeof httpStatusByCode]));
    expect(row?.[2]).toBe(errorCodes[code as keyof typeof errorCodes]);
    expect(row?.[3]?.length ?? 0).toBeGreaterThan(10);
    expect(row?.[4]?.length ?? 0).toBeGreaterThan(10);
  });
});

describe('README configuration table', () => {
  const rows = tableRows(read('README.md'));
  const all = { ...settings, url: clientSettings.url, token: clientSettings.token };
  it.each(Object.entries(all))('lists %s with its variable, flag and default', (_name, s) => {
    const row = rows.get(s.env);
    expect(row, `README.md has no row for ${s.env}`).toBeDefined();
    expect(row?.[1]).toBe(`\`${s.flag}\``);
    expect(row?.[2]).toBe(s.default === undefined ? '—' : `\`${s.default}\``);
  });
});

describe('docs/cli.md', () => {
  const text = read('docs/cli.md');
  const paths: string[] = [];
  const walk = (cmd: Command, prefix: string) => {
    for (const sub of cmd.commands) {
      const p = `${prefix} ${sub.name()}`.trim();
      if (sub.commands.length === 0) paths.push(p);
      walk(sub, p);
    }
  };
  walk(buildProgram({ stdout: { write: () => true }, stderr: { write: () => true }, env: {} }), 'roster');
  it.each(paths)('describes `%s`', (p) => {
    expect(text).toContain(`\`${p}`);
  });
});
