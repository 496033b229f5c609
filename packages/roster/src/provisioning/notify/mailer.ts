/**
 * The SMTP side of failure notifications: one nodemailer transport per SMTP URL, reused by every
 * send. The URL carries the password, so it never appears in logs or stored errors.
 */
import nodemailer, { type Transporter } from 'nodemailer';

export interface Mail {
  from: string;
  to: string;
  subject: string;
  text: string;
}

/**
 * `transient`: worth trying again later — the server answered 4xx ("try again later", RFC 5321
 * §4.2.1: greylisting, a full queue, a rate limit) or could not be reached; a 5xx answer (bad
 * login, unknown recipient) is permanent.
 */
export type SendResult = { ok: true } | { ok: false; error: string; transient: boolean };

export interface Mailer {
  send(mail: Mail): Promise<SendResult>;
}

/** nodemailer's codes for a connection that failed or timed out before the server answered. */
const UNREACHED = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'ECONNREFUSED']);

export function isTransientSmtpError(e: unknown): boolean {
  const { responseCode, code } = (e ?? {}) as { responseCode?: unknown; code?: unknown };
  if (typeof responseCode === 'number') return responseCode >= 400 && responseCode < 500;
  return typeof code === 'string' && UNREACHED.has(code);
}

const transports = new Map<string, Transporter>();

/** A mailer for `smtp://user:pass@host:port` (STARTTLS when the server offers it) or `smtps://…` (TLS). */
export function smtpMailer(smtpUrl: string): Mailer {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
    transports.set(smtpUrl, transport);
  }
  const secret = passwordOf(smtpUrl);
  const t = transport;
  return {
    async send(mail) {
      try {
        await t.sendMail(mail);
        return { ok: true };
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        return { ok: false, error: redact(message, secret), transient: isTransientSmtpError(e) };
      }
    },
  };
}

function passwordOf(url: string): string | null {
  try {
    const p = new URL(url).password;
    return p ? decodeURIComponent(p) : null;
  } catch {
    return null;
  }
}

/** SMTP servers may echo what they were sent; the password never leaves this module. */
export const redact = (text: string, secret: string | null): string => (secret ? text.split(secret).join('***') : text);
