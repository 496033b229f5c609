#!/usr/bin/env node
// Runs the TypeScript CLI in this same process through tsx's loader, from any working directory
// (`npx roster …`). One process, so Ctrl+C reaches the server's graceful shutdown exactly once.
import { register } from 'tsx/esm/api';
import { embeddedV8Flags } from './v8-flags.js';

// The embedded database (PGlite) is PostgreSQL compiled to WebAssembly, running in this process:
// with it Roster runs with the V8 flags of ./v8-flags.js (the optimizing compiler kept away from
// PGlite, a small young generation, a slow-growing old generation; why and what each saves is
// there). ROSTER_PGLITE_OPTIMIZE=true keeps Node's defaults; with PostgreSQL (DATABASE_URL or
// --database-url) nothing changes. The process replaces itself (same pid), so signals and the
// terminal are unaffected. (The launcher reads these before the configuration exists: it must
// choose the flags before the process that reads the configuration starts.)
const embedded = !process.env.DATABASE_URL && !process.argv.some((a) => a === '--database-url' || a.startsWith('--database-url='));
if (embedded && process.env.ROSTER_PGLITE_OPTIMIZE !== 'true' && !process.execArgv.includes('--liftoff-only') && typeof process.execve === 'function') {
  process.execve(process.execPath, [process.execPath, ...embeddedV8Flags, ...process.execArgv, ...process.argv.slice(1)], process.env);
}

// @simplewebauthn/server probes the Web Crypto algorithms it could use when it is imported, and
// Node 24 warns that the probe (and ML-DSA) are experimental: two lines at every start that mean
// nothing to an admin. Only those are dropped; every other warning is printed as usual.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === 'string' ? warning : (warning?.message ?? '');
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'ExperimentalWarning' && text.includes('Web Crypto API')) return;
  emitWarning(warning, ...rest);
};

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
