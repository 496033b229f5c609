import { createRequire } from 'node:module';

/**
 * The few DOM shapes this code reads. xmldom is loaded through `require` with these types rather than
 * its own: its typings pull the DOM lib into every program that imports the sandbox (Roster's too),
 * which changes `fetch`'s types there.
 */
export interface XNode {
  readonly nodeType: number;
  readonly firstChild: XNode | null;
  readonly nextSibling: XNode | null;
  readonly textContent: string | null;
}
export interface XElement extends XNode {
  readonly namespaceURI: string | null;
  readonly localName: string;
  getAttribute(name: string): string | null;
}
export interface XDocument {
  readonly documentElement: XElement | null;
}
type ErrorHandler = (message: string) => void;
const { DOMParser } = createRequire(import.meta.url)('@xmldom/xmldom') as {
  DOMParser: new (options: { errorHandler: { warning: ErrorHandler; error: ErrorHandler; fatalError: ErrorHandler } }) => { parseFromString(xml: string, mime: string): XDocument };
};

export const NS = {
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/** A refusal of an SSO message; `message` is shown on the error page. */
export class SsoError extends Error {
  constructor(
    message: string,
    readonly status = 401,
  ) {
    super(message);
  }
}

/**
 * Parses XML strictly: a DOCTYPE or entity declaration is refused before parsing (no DTDs, so no
 * entity expansion or external entities), and any parser error is a refusal.
 */
export function parseStrictXml(xml: string, what: string): XDocument & { documentElement: XElement } {
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) throw new SsoError(`The ${what} contains a DTD (DOCTYPE/ENTITY), which is not allowed.`, 400);
  const fail = (msg: string) => {
    throw new SsoError(`The ${what} is not well-formed XML (${String(msg).split('\n')[0]}).`, 400);
  };
  const doc = new DOMParser({ errorHandler: { warning: fail, error: fail, fatalError: fail } }).parseFromString(xml, 'text/xml');
  const root = doc.documentElement;
  if (!root) throw new SsoError(`The ${what} is empty.`, 400);
  return { documentElement: root };
}

/** The element children of `parent` with this namespace and local name. */
export function children(parent: XElement, ns: string, local: string): XElement[] {
  const out: XElement[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as XElement).namespaceURI === ns && (n as XElement).localName === local) out.push(n as XElement);
  }
  return out;
}

/** The single child element, or undefined; more than one is a refusal. */
export function child(parent: XElement, ns: string, local: string): XElement | undefined {
  const found = children(parent, ns, local);
  if (found.length > 1) throw new SsoError(`The SAML response has more than one ${local} in ${parent.localName}.`, 400);
  return found[0];
}

/** Every element of the document, depth first. */
export function* allElements(root: XElement): Generator<XElement> {
  yield root;
  for (let n = root.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) yield* allElements(n as XElement);
}

export const is = (el: XElement, ns: string, local: string) => el.namespaceURI === ns && el.localName === local;
