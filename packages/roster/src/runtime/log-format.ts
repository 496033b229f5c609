/**
 * Human log lines for a terminal (`roster serve` run by hand): `12:04:05 INFO  GET /api/users 200 4 ms`.
 * Piped or redirected output stays pino's JSON, for log collectors.
 */
const levels: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

interface LogRecord {
  level?: number;
  time?: number;
  msg?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { type?: string; message?: string; stack?: string };
  [key: string]: unknown;
}

/**
 * Formats one pino JSON line; returns undefined for lines that are noise on a terminal. fastify logs
 * the method and URL only on "incoming request", so `requests` carries them to "request completed".
 */
export function formatLogLine(json: string, requests: Map<string, string> = new Map()): string | undefined {
  let r: LogRecord;
  try {
    r = JSON.parse(json) as LogRecord;
  } catch {
    return json.trimEnd();
  }
  const reqId = typeof r['reqId'] === 'string' ? r['reqId'] : undefined;
  if (r.msg === 'incoming request') {
    // Bounded: requests that never complete (aborted sockets) must not grow it forever.
    if (requests.size > 10_000) requests.clear();
    if (reqId) requests.set(reqId, `${r.req?.method ?? ''} ${r.req?.url ?? ''}`);
    return undefined;
  }
  const time = new Date(r.time ?? Date.now()).toTimeString().slice(0, 8);
  const level = (levels[r.level ?? 30] ?? 'INFO').padEnd(5);
  let text = r.msg ?? '';
  if (r.msg === 'request completed' && r.res) {
    const what = (reqId && requests.get(reqId)) || `${r.req?.method ?? ''} ${r.req?.url ?? ''}`;
    if (reqId) requests.delete(reqId);
    text = `${what.trim()} ${r.res.statusCode ?? ''} ${Math.round(r.responseTime ?? 0)} ms`.trim();
  }
  const err = r.err ? `\n${r.err.stack ?? `${r.err.type ?? 'Error'}: ${r.err.message ?? ''}`}` : '';
  return `${time} ${level} ${text}${err}`;
}

/** A pino destination that writes formatted lines to `out`. */
export function prettyDestination(out: { write(text: string): unknown }): { write(line: string): void } {
  const requests = new Map<string, string>();
  return {
    write(line) {
      const text = formatLogLine(line, requests);
      if (text !== undefined) out.write(`${text}\n`);
    },
  };
}
