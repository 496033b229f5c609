/**
 * A real SMTP server (npm `smtp-server`) on 127.0.0.1 and a random port that keeps every message it
 * accepts, decoded enough for assertions: envelope, subject and plain-text body. For tests of the
 * failure emails, so they go through nodemailer and an SMTP conversation, not a mock.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  from: string;
  to: string;
  subject: string;
  text: string;
  raw: string;
  /** The user name the client authenticated as. */
  user: string | null;
}

export interface SmtpSink {
  /** `smtp://user:password@127.0.0.1:<port>` */
  url: string;
  received: ReceivedMail[];
  /** Refuses the next `count` messages at DATA with `code` (4xx: try again later; 5xx: permanent), then accepts again. */
  refuseNext(count: number, code?: number): void;
  /** Messages refused so far. */
  refused: number;
  close(): Promise<void>;
}

export async function startSmtpSink(opts: { user?: string; password?: string } = {}): Promise<SmtpSink> {
  const user = opts.user ?? 'roster';
  const password = opts.password ?? 'mail-pass-123';
  const received: ReceivedMail[] = [];
  const refusal = { left: 0, code: 451, refused: 0 };
  const server = new SMTPServer({
    // Plain SMTP on loopback: no certificate to trust, AUTH allowed without TLS.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refusal.left > 0) {
          refusal.left--;
          refusal.refused++;
          const error = Object.assign(new Error(refusal.code < 500 ? 'Requested action aborted: try again later' : 'Message rejected'), { responseCode: refusal.code });
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          ...parseMessage(raw),
          raw,
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : null,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    received,
    refuseNext(count, code = 451) {
      refusal.left = count;
      refusal.code = code;
    },
    get refused() {
      return refusal.refused;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function parseMessage(raw: string): { from: string; to: string; subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string) => head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.slice(name.length + 1).trim() ?? '';
  const encoding = header('content-transfer-encoding').toLowerCase();
  const text = encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  return { from: decodeWords(header('from')), to: decodeWords(header('to')), subject: decodeWords(header('subject')), text: text.replace(/\r\n/g, '\n') };
}

function decodeQuotedPrintable(s: string): string {
  const soft = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`), as nodemailer writes non-ASCII headers. */
function decodeWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, data: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}
