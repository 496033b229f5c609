#!/usr/bin/env node
// Runs src/main.ts through tsx so the package needs no build step; works from any cwd.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/main.ts', import.meta.url).href);
