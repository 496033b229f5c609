/**
 * What is stored when an exception ends a piece of work (a cycle, a provisioning event, an import
 * item, a CSV run): a code, words for an admin, advice and a correlation id — never the exception's
 * own message, which for a database error is the SQL statement with its parameters (user data), nor
 * a stack. The details go to the server log at error level under the same correlation id.
 */
import { randomUUID } from 'node:crypto';
import { uniqueViolation } from '../directory/users/db-errors.ts';
import { isAppError } from './app-error.ts';

export type StoredError = {
  code: string;
  message: string;
  advice: string;
  correlationId: string;
};

export interface ErrorLog {
  error(obj: object, msg?: string): void;
}

/**
 * The storable form of `e`, logged with `context` (ids, never user data). An `AppError` keeps its
 * code and message (written for admins already); anything else is `internal`, or `conflict` for a
 * unique violation, with a fixed message.
 */
export function storedError(e: unknown, log: ErrorLog | undefined, context: Record<string, unknown> = {}, what = 'this run'): StoredError {
  const correlationId = randomUUID();
  log?.error({ ...context, correlationId, err: e }, `${what} stopped on an error`);
  if (isAppError(e)) return { code: e.code, message: e.message, advice: adviceFor(correlationId), correlationId };
  if (uniqueViolation(e) !== undefined) {
    return { code: 'conflict', message: `${capital(what)} conflicted with a change made at the same time (a value that must be unique was taken).`, advice: adviceFor(correlationId), correlationId };
  }
  return { code: 'internal', message: `${capital(what)} stopped on an internal error.`, advice: adviceFor(correlationId), correlationId };
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const adviceFor = (correlationId: string) => `Nothing needs to be done if the next run succeeds. If it repeats, look for correlation id ${correlationId} in the server log (error level).`;
