import { invalidResponse } from './invalid-response';
import { Scanner } from './xml-scanner';
import type { XNode } from './xml-node';

export type { XNode } from './xml-node';
export { invalidResponse } from './invalid-response';
export { decodeEntities } from './xml-entities';

/** Parses a whole document; throws BACKEND_RESPONSE_INVALID (502) for anything not well-formed. */
export function parseXmlTree(xml: string): XNode {
  // `<!` first: most responses hold none, and the case-insensitive scan of the whole text is not free.
  if (xml.includes('<!') && /<!DOCTYPE|<!ENTITY/i.test(xml)) throw invalidResponse('the backend response contains a DOCTYPE (refused)');
  const src = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  return new Scanner(src).document();
}
