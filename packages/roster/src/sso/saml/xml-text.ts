/** Small pieces of SAML XML writing: escaping, ids, instants and the namespaces. */
import { randomBytes } from 'node:crypto';

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

export const BINDING = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

/** Escapes text and attribute values alike; refuses characters XML 1.0 cannot carry. */
export function xmlEscape(value: string): string {
  // eslint-disable-next-line no-control-regex -- the control characters XML 1.0 forbids
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"'\r]/g, (c) => ESCAPES[c] as string);
}

/** A SAML id: an NCName with 160 random bits. */
export const newSamlId = (): string => `_${randomBytes(20).toString('hex')}`;

/** `2026-12-07T03:50:27Z`: SAML instants in UTC, without milliseconds. */
export const samlInstant = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;
