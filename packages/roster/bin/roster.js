#!/usr/bin/env node
// Runs the TypeScript CLI in this same process through tsx's loader, from any working directory
// (`npx roster …`). One process, so Ctrl+C reaches the server's graceful shutdown exactly once.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
