import type { ControlHandler } from '../http/server.ts';
import { json } from './respond.ts';

/** GET /__sandbox/state — the state file and what was loaded from it (`{"state":null}` in memory). */
export const stateHandler: ControlHandler = (ctx) => json({ state: ctx.registry.stateReport });
