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

export interface Mailer {
  send(mail: Mail): Promise<{ ok: true } | { ok: false; error: string }>;
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
        return { ok: false, error: redact(message, secret) };
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
