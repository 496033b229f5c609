/**
 * Database failures that say "busy, try again" rather than "this request is wrong": a serialization
 * failure or deadlock between concurrent transactions, a lock not available, too many connections,
 * the server shutting down or the connection lost, a statement cancelled by its timeout, or the
 * node-postgres pool giving up waiting for a connection. Recognised through drizzle's wrapping
 * (`cause` chain) on both drivers; the API answers them 503 with Retry-After, never 500.
 */

/** SQLSTATEs of transient trouble (PostgreSQL appendix A): class 08 (connection), 40001, 40P01, 53xxx, 55P03, 57014, 57P0x. */
const busyStates = new Set(['40001', '40P01', '53000', '53100', '53200', '53300', '53400', '55P03', '57014', '57P01', '57P02', '57P03']);

/** node-postgres' own words when no connection could be had (they carry no SQLSTATE). */
const busyMessages = [/timeout exceeded when trying to connect/i, /connection terminated/i, /Client has encountered a connection error/i];

/** The SQLSTATE or pool message that marks `error` as transient database trouble, or undefined. */
export function databaseBusy(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (busyStates.has(code) || code.startsWith('08'))) return code;
    if (typeof message === 'string' && busyMessages.some((m) => m.test(message))) return 'pool';
  }
  return undefined;
}
