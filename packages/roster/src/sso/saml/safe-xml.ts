/**
 * Parsing XML that strangers send (AuthnRequests): a size cap before parsing, no DTD and no entity
 * declarations (billion laughs, external entities), no comments or processing instructions (comments
 * inside values make two readers see two different strings), and no two elements with the same id
 * (signature wrapping depends on it). Anything else refused is a parse error.
 */
import { DOMParser, type Document, type Node } from '@xmldom/xmldom';

/** Largest XML message accepted (AuthnRequests are well under 4 KB). */
export const MAX_XML_BYTES = 32 * 1024;

export class XmlRefused extends Error {
  constructor(
    readonly code: 'sso_xml_too_large' | 'sso_xml_dtd' | 'sso_xml_comment' | 'sso_xml_duplicate_id' | 'sso_xml_malformed',
    message: string,
  ) {
    super(message);
    this.name = 'XmlRefused';
  }
}

const ID_ATTRIBUTES = new Set(['ID', 'Id', 'id', 'AssertionID']);

export function parseSafeXml(text: string): Document {
  if (Buffer.byteLength(text, 'utf8') > MAX_XML_BYTES) throw new XmlRefused('sso_xml_too_large', `The message is larger than ${MAX_XML_BYTES} bytes.`);
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlRefused('sso_xml_dtd', 'The message carries a DTD or an entity declaration, which Roster never accepts.');
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch (e) {
    throw new XmlRefused('sso_xml_malformed', `The message is not well-formed XML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc.doctype) throw new XmlRefused('sso_xml_dtd', 'The message carries a DTD, which Roster never accepts.');
  const ids = new Set<string>();
  const walk = (node: Node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === child.COMMENT_NODE) throw new XmlRefused('sso_xml_comment', 'The message carries an XML comment, which Roster does not accept in SAML messages.');
      // The XML declaration (`<?xml version="1.0"?>`) is the one processing instruction allowed, first in the document.
      if (child.nodeType === child.PROCESSING_INSTRUCTION_NODE && !(node === doc && child === doc.firstChild && child.nodeName === 'xml')) throw new XmlRefused('sso_xml_malformed', 'The message carries a processing instruction.');
      if (child.nodeType === child.ENTITY_REFERENCE_NODE) throw new XmlRefused('sso_xml_dtd', 'The message uses an entity reference.');
      if (child.nodeType === child.ELEMENT_NODE) {
        const el = child as unknown as { attributes: { length: number; item(i: number): { localName: string | null; name: string; value: string } | null } };
        for (let i = 0; i < el.attributes.length; i++) {
          const a = el.attributes.item(i);
          if (!a || !ID_ATTRIBUTES.has(a.localName ?? a.name)) continue;
          if (ids.has(a.value)) throw new XmlRefused('sso_xml_duplicate_id', `Two elements carry the id ${a.value}.`);
          ids.add(a.value);
        }
        walk(child);
      }
    }
  };
  walk(doc);
  return doc;
}
