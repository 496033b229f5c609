import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import type { SsoMemory } from '../store/sso.ts';
import { esc } from '../pages/html.ts';

/** How long an issued AuthnRequest may be answered. */
export const AUTHN_REQUEST_TTL_MS = 10 * 60_000;

/**
 * The HTTP-Redirect binding URL Zendesk sends an unsigned visitor to: the IdP's sign-in URL with
 * `SAMLRequest` (deflated, base64) and `RelayState` (the page to come back to). The request id is
 * remembered so the answer's InResponseTo can be checked (once).
 */
export function samlRedirect(opts: { signInUrl: string; acsUrl: string; issuer: string; relayState: string; memory: SsoMemory; nowMs?: number }): { url: string; id: string; xml: string } {
  const now = opts.nowMs ?? Date.now();
  const id = `_${randomBytes(20).toString('hex')}`;
  const xml =
    `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"` +
    ` ID="${id}" Version="2.0" IssueInstant="${new Date(now).toISOString()}" Destination="${esc(opts.signInUrl)}"` +
    ` AssertionConsumerServiceURL="${esc(opts.acsUrl)}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">` +
    `<saml:Issuer>${esc(opts.issuer)}</saml:Issuer>` +
    `<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/>` +
    `</samlp:AuthnRequest>`;
  opts.memory.authnRequests.add(id, now + AUTHN_REQUEST_TTL_MS, now);
  const url = new URL(opts.signInUrl);
  url.searchParams.set('SAMLRequest', deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'));
  url.searchParams.set('RelayState', opts.relayState);
  return { url: url.toString(), id, xml };
}

/** The JWT "remote login URL" redirect: `brand_id` and `return_to`. */
export function jwtRedirect(signInUrl: string, brandId: number | null, returnTo: string): string {
  const url = new URL(signInUrl);
  if (brandId !== null) url.searchParams.set('brand_id', String(brandId));
  url.searchParams.set('return_to', returnTo);
  return url.toString();
}
