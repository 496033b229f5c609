#!/usr/bin/env node
// TEST ONLY: launches test/kill/stalling-worker.ts through tsx's loader, as bin/roster.js does for the CLI.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./stalling-worker.ts', import.meta.url).href);
