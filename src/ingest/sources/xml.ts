import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DocumentError } from '../source.js';

/** Elements that may repeat in RSS and Atom: always read as arrays, even when there is one. */
const REPEATED = new Set(['item', 'entry', 'link', 'category', 'author']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  htmlEntities: true,
  isArray: (name) => REPEATED.has(name),
});

export type XmlNode = Record<string, unknown>;

/**
 * Parses a feed document. Refuses what is not well-formed XML (a truncated download, an HTML error
 * page) and any document that declares its own entities: feeds have no need of them, and entity
 * expansion is a classic way to exhaust a parser.
 */
export function parseXml(body: string): XmlNode {
  if (/<!ENTITY/i.test(body)) throw new DocumentError('the document declares XML entities, which are not accepted');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new DocumentError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(body) as unknown;
  if (!doc || typeof doc !== 'object') throw new DocumentError('empty XML document');
  return doc as XmlNode;
}

/** The text of an element, whether it was parsed as a string or as an object with attributes. */
export function text(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) return text(node[0]);
  if (typeof node === 'object') return text((node as XmlNode)['#text']);
  return '';
}

export function attr(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const v = (node as XmlNode)[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
}

export function asArray(node: unknown): unknown[] {
  if (node === undefined || node === null || node === '') return [];
  return Array.isArray(node) ? node : [node];
}

export function child(node: unknown, name: string): unknown {
  return node && typeof node === 'object' && !Array.isArray(node) ? (node as XmlNode)[name] : undefined;
}
