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

/** Query parameters whose values are one-time codes or secrets (OAuth `code`/`state`, tokens, passwords). */
const secretQueryParam = /^(?:code|state|.*token.*|.*password.*)$/i;

/** `url` with the values of secret query parameters replaced, e.g. `/cb?code=[redacted]&x=1`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed escape is matched as written.
      }
      return eq >= 0 && secretQueryParam.test(decoded) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string | undefined;
  ip?: string | undefined;
  socket?: { remotePort?: number | undefined };
}

/** fastify's default request serializer, with secret query values redacted from the URL. */
function serializeRequest(req: LoggedRequest): Record<string, unknown> {
  return { method: req.method, url: redactUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

export function loggerOptions(level: string): FastifyLoggerOptions & LoggerOptions {
  return { level, redact: { paths: redactedPaths, censor: '[redacted]' }, serializers: { req: serializeRequest } };
}

/**
 * The level of a request's one log line: the admin UI's files, the favicon, health and metrics
 * scrapes that succeed are `debug` (they would bury the useful lines); everything else `info`.
 */
export function requestLogLevel(method: string, url: string, status: number): 'debug' | 'info' {
  if (status >= 400 || (method !== 'GET' && method !== 'HEAD')) return 'info';
  const path = url.split('?')[0] ?? url;
  if (path.startsWith('/api/') && !path.startsWith('/api/docs/static/')) return 'info';
  const quiet = path.startsWith('/assets/') || path.startsWith('/api/docs/static/') || ['/favicon.ico', '/favicon.svg', '/healthz', '/readyz', '/metrics'].includes(path);
  return quiet ? 'debug' : 'info';
}
