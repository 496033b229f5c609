/**
 * What every SAML protocol request Roster reads starts with (saml-core §3.2.1): parsed by the safe XML
 * rules, the root element in the protocol namespace, an ID, Version 2.0, and an IssueInstant within
 * five minutes of now. AuthnRequests and LogoutRequests check the rest themselves.
 */
import type { Element } from '@xmldom/xmldom';
import { XmlRefused, parseSafeXml } from './safe-xml.ts';
import { NS } from './xml-text.ts';

/** A request older (or further in the future) than this is refused. */
export const REQUEST_WINDOW_MS = 5 * 60_000;
export const NCNAME = /^[A-Za-z_][\w.-]{0,255}$/;
/** SAML's dateTime in UTC, as Roster accepts it in requests. */
export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export type MessageHead<C extends string> = { ok: true; root: Element; id: string; issued: Date } | { ok: false; code: C | XmlRefused['code']; message: string };

export interface HeadRules<C extends string> {
  /** The root element's local name: `AuthnRequest`, `LogoutRequest`. */
  kind: string;
  now: Date;
  /** The refusal codes for a malformed message and for one issued outside the window. */
  invalid: C;
  expired: C;
  /** What the user should do when it is stale ("start the sign-in again"). */
  again: string;
}

export function readMessageHead<C extends string>(xml: string, rules: HeadRules<C>): MessageHead<C> {
  const refuse = (code: C | XmlRefused['code'], message: string): MessageHead<C> => ({ ok: false, code, message });
  let doc;
  try {
    doc = parseSafeXml(xml);
  } catch (e) {
    if (e instanceof XmlRefused) return refuse(e.code, e.message);
    throw e;
  }
  const { kind } = rules;
  const root = doc.documentElement;
  if (!root || root.localName !== kind || root.namespaceURI !== NS.protocol) return refuse(rules.invalid, `The message is not a SAML 2.0 ${kind}.`);
  const id = root.getAttribute('ID') ?? '';
  if (!NCNAME.test(id)) return refuse(rules.invalid, `The ${kind} has no valid ID.`);
  if (root.getAttribute('Version') !== '2.0') return refuse(rules.invalid, `The ${kind} is not SAML version 2.0.`);
  const issuedText = root.getAttribute('IssueInstant') ?? '';
  const issued = new Date(issuedText);
  if (!INSTANT.test(issuedText) || Number.isNaN(issued.getTime())) return refuse(rules.invalid, `The ${kind} has no valid IssueInstant.`);
  if (Math.abs(rules.now.getTime() - issued.getTime()) > REQUEST_WINDOW_MS) return refuse(rules.expired, `The ${kind} was issued more than 5 minutes from now: ${rules.again}.`);
  return { ok: true, root, id, issued };
}
