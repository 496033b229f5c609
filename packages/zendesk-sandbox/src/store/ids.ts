import { randomBytes } from 'node:crypto';

/**
 * The first id a fresh id source hands out: the clock in milliseconds × 1,000, so a sandbox
 * restarted without a state file starts above every id the previous run could have drawn (that run
 * would have needed a million ids per second to get there). Stays below 2^53 until the year 2255.
 */
export function clockIdFloor(ms = Date.now()): number {
  return ms * 1000;
}

/**
 * Increasing integer ids, safe as JS numbers, shared by every account of a sandbox (like Zendesk's
 * global ids), so a reset or re-created account never gets an id seen before. `next` is persisted
 * with the state file.
 */
export class IdSource {
  private nextId: number;
  constructor(start = clockIdFloor()) {
    this.nextId = start;
  }
  get next(): number {
    return this.nextId;
  }
  take(): number {
    const id = this.nextId;
    this.nextId += 1 + (id % 7 === 0 ? 3 : 0);
    return id;
  }
  /** Never go back: after loading state, continue above everything seen. */
  advanceTo(min: number): void {
    if (min > this.nextId) this.nextId = min;
  }
}

/** A random hex token (API tokens, OAuth secrets and codes, job ids). */
export function randomToken(bytes = 20): string {
  return randomBytes(bytes).toString('hex');
}

/** Zendesk's UTC timestamp format without milliseconds (`2023-09-18T23:28:11Z`). */
export function isoNow(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
