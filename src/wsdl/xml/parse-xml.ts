import { WsdlImportError } from '../errors';
import { fastScanXml } from './fast-scan-xml';
import { MAX_DEPTH, scanXml } from './scan-xml';
import type { XmlElement } from './xml-element';
import { DOCTYPE_REASON, XmlSyntaxError } from './xml-syntax-error';

// The importer's XML entry point. The pieces live next to this file: scan-xml.ts (the scanner),
// xml-namespaces.ts, xml-references.ts, xml-element.ts (the tree and its helpers), decode-xml.ts.
export { MAX_DEPTH } from './scan-xml';
export { childrenNamed, firstChild, resolvePrefixed, type XmlElement } from './xml-element';
export { decodeXml } from './decode-xml';

/**
 * Parses one document strictly: well-formedness (tag nesting, attribute syntax and uniqueness,
 * entity and character references, characters, comments, one root, the XML declaration only at
 * the start) and namespace well-formedness (every prefix bound) are fatal errors with line and
 * column. DOCTYPE is refused outright, so no entity (internal, external or a billion-laughs bomb)
 * is ever expanded and nothing is ever fetched or read for one.
 */
export function parseXml(text: string, file: string): XmlElement {
  try {
    return fastScanXml(text, MAX_DEPTH) ?? scanXml(text);
  } catch (e) {
    if (!(e instanceof XmlSyntaxError)) throw e;
    if (e.message === DOCTYPE_REASON) throw new WsdlImportError(file, DOCTYPE_REASON);
    const { line, col } = position(text, e.pos);
    throw new WsdlImportError(file, e.message === 'document has no root element' ? e.message : `not well-formed XML: line ${line}:${col}: ${e.message}`, { cause: e });
  }
}

function position(text: string, pos: number): { line: number; col: number } {
  let line = 1;
  let i = -1;
  const p = Math.min(pos, text.length);
  while ((i = text.indexOf('\n', i + 1)) >= 0 && i < p) line++;
  return { line, col: p - (text.lastIndexOf('\n', p - 1) + 1) + 1 };
}
