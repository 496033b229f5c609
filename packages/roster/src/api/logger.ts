/** Structured logs (pino) with secrets redacted wherever they might appear. */
import type { FastifyLoggerOptions } from 'fastify';
import type { LoggerOptions } from 'pino';

export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.oneTimePassword',
  '*.passwordHash',
  '*.csrfToken',
  '*.tokenHash',
  '*.token',
  '*.secret',
  '*.clientSecret',
  '*.apiToken',
  '*.accessToken',
  '*.refreshToken',
];

export function loggerOptions(level: string): FastifyLoggerOptions & LoggerOptions {
  return { level, redact: { paths: redactedPaths, censor: '[redacted]' } };
}
