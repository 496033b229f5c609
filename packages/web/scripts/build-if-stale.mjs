#!/usr/bin/env node
/**
 * Builds the admin UI only when a source is newer than dist/index.html, so `npm start` and the
 * browser tests always serve the current UI and a second start costs a few milliseconds.
 * Plain JavaScript on purpose: it runs before anything else, without a TypeScript loader.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist', 'index.html');
// The words map lives in packages/roster (the CLI uses it too) and is bundled from there.
const inputs = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json', '../roster/src/words'];

function newest(p) {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const name of readdirSync(p)) max = Math.max(max, newest(path.join(p, name)));
  return max;
}

const sourceTime = Math.max(...inputs.map((i) => path.join(root, i)).filter(existsSync).map(newest));
if (existsSync(built) && statSync(built).mtimeMs >= sourceTime) process.exit(0);

console.log('Building the admin UI (packages/web) …');
const vite = path.join(root, 'node_modules', '.bin', 'vite');
const bin = existsSync(vite) ? vite : path.join(root, '..', '..', 'node_modules', '.bin', 'vite');
execFileSync(bin, ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
