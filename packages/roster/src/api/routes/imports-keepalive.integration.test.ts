/**
 * A CSV upload refused part-way (a missing column) must not leave the rest of its body on a
 * keep-alive connection: the next request on that socket has to be answered. Real listening server,
 * one raw socket.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../../../test/test-app.ts';

/** Reads one HTTP/1.1 answer (headers and a Content-Length or chunked body) from the socket. */
function readAnswer(socket: net.Socket, timeoutMs: number): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => done(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString();
      const rest = buf.subarray(end + 4);
      const length = /content-length:\s*(\d+)/i.exec(head);
      if (length && rest.length >= Number(length[1])) return done(undefined, { status: Number(head.split(' ')[1]), headers: head, body: rest.subarray(0, Number(length[1])).toString() });
      if (/transfer-encoding:\s*chunked/i.test(head) && rest.includes('0\r\n\r\n')) return done(undefined, { status: Number(head.split(' ')[1]), headers: head, body: rest.toString() });
    };
    const onClose = () => done(new Error('connection closed before an answer'));
    const done = (e?: Error, r?: { status: number; headers: string; body: string }) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      if (e) reject(e);
      else resolve(r!);
    };
    socket.on('data', onData);
    socket.on('close', onClose);
  });
}

describe('a refused CSV upload on a keep-alive connection', () => {
  let h: TestApp;
  let port: number;
  beforeAll(async () => {
    h = await openTestApp('pglite');
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    port = (h.app.server.address() as net.AddressInfo).port;
  });
  afterAll(async () => h?.close());

  it('answers the 400 and never leaves the next request on that connection unanswered', async () => {
    await refuseThenAnswerNext(`Authorization: ${h.owner.headers.authorization}\r\n`, 400, 'csv_invalid');
  });

  it('answers an anonymous upload 401 before reading it, and never leaves the next request unanswered', async () => {
    await refuseThenAnswerNext('', 401, 'unauthenticated');
  });

  async function refuseThenAnswerNext(authorization: string, status: number, code: string): Promise<void> {
    // 4 MB of rows under a header without the email column: refused after the first chunk (or before any, without credentials).
    const rows = 'given,family\n' + 'Ada,Lovelace\n'.repeat(300_000);
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const answer = readAnswer(socket, 10_000);
    socket.write(`POST /api/users/import HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n${authorization}Content-Type: text/csv\r\nContent-Length: ${Buffer.byteLength(rows)}\r\n\r\n`);
    socket.write(rows);
    const refused = await answer;
    expect(refused.status).toBe(status);
    expect(refused.body).toContain(code);

    // Either the server says it closes the connection (a client then opens a new one), or the
    // same connection answers the next request.
    if (/^connection:\s*close/im.test(refused.headers)) {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('the server announced Connection: close but kept the socket open')), 10_000);
        if (socket.destroyed || socket.readableEnded) return resolve();
        socket.once('close', () => (clearTimeout(t), resolve()));
        socket.once('end', () => (clearTimeout(t), resolve()));
      });
    } else {
      const next = readAnswer(socket, 10_000);
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      expect((await next).status).toBe(200);
    }
    socket.destroy();
    // The server itself still answers on a fresh connection.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  }
});
