import { randomBytes } from 'node:crypto';

/** Zendesk-looking 13-digit ids, increasing, safe as JS numbers. */
export class IdSource {
  private next: number;
  constructor(start = 6_164_039_664_282) {
    this.next = start;
  }
  take(): number {
    const id = this.next;
    this.next += 1 + (id % 7 === 0 ? 3 : 0);
    return id;
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
