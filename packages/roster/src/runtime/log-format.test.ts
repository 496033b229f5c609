import { describe, expect, it } from 'vitest';
import { formatLogLine, prettyDestination } from './log-format.ts';

const at = new Date(2026, 0, 2, 12, 4, 5).getTime();

describe('formatLogLine', () => {
  it('turns a completed request into method, path, status and duration', () => {
    const line = JSON.stringify({ level: 30, time: at, msg: 'request completed', req: { method: 'GET', url: '/api/users?q=a' }, res: { statusCode: 200 }, responseTime: 4.4 });
    expect(formatLogLine(line)).toBe('12:04:05 INFO  GET /api/users?q=a 200 4 ms');
  });

  it('drops "incoming request" and keeps errors with their stack', () => {
    expect(formatLogLine(JSON.stringify({ level: 30, time: at, msg: 'incoming request' }))).toBeUndefined();
    const text = formatLogLine(JSON.stringify({ level: 50, time: at, msg: 'job failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' } }));
    expect(text).toBe('12:04:05 ERROR job failed\nError: boom\n    at x');
  });

  it('passes through text that is not JSON', () => {
    expect(formatLogLine('plain\n')).toBe('plain');
  });
});

describe('prettyDestination', () => {
  it('writes one line per record, completing requests with the method and URL of their incoming line', () => {
    const out: string[] = [];
    const d = prettyDestination({ write: (s: string) => out.push(s) });
    d.write(JSON.stringify({ level: 40, time: at, msg: 'careful' }));
    d.write(JSON.stringify({ level: 30, time: at, msg: 'incoming request', reqId: 'r1', req: { method: 'POST', url: '/api/groups' } }));
    d.write(JSON.stringify({ level: 30, time: at, msg: 'request completed', reqId: 'r1', res: { statusCode: 201 }, responseTime: 7 }));
    expect(out).toEqual(['12:04:05 WARN  careful\n', '12:04:05 INFO  POST /api/groups 201 7 ms\n']);
  });
});
