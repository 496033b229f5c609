#!/usr/bin/env node
// Runs the TypeScript CLI in this same process through tsx's loader, from any working directory
// (`npx roster …`). One process, so Ctrl+C reaches the server's graceful shutdown exactly once.
import { register } from 'tsx/esm/api';

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
