/**
 * Entity and character references in backend responses: which may appear (no DTD, so only the
 * five predefined entities and references to legal characters) and how they decode.
 */

/**
 * What may follow `&` up to `;` in text: a character reference or one of the five predefined
 * entities. Without a DTD every other entity is undeclared, which XML 1.0 (WFC: Entity
 * Declared) makes a well-formedness error, not text to pass on.
 */
const REF = /^(?:#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot|apos)$/;

/** XML 1.0 production [2] Char: a character reference must name one of these. */
function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** `body` is what sits between `&` and `;`: true when it is a reference XML allows here. */
export function legalRef(body: string): boolean {
  if (!REF.test(body)) return false;
  if (body.charCodeAt(0) !== 0x23) return true;
  return isXmlChar(body.charCodeAt(1) === 0x78 ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10));
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the predefined entities and character references; anything else stays as written. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (m, e: string) => {
    if (e.startsWith('#x')) return safeCodePoint(Number.parseInt(e.slice(2), 16), m);
    if (e.startsWith('#')) return safeCodePoint(Number.parseInt(e.slice(1), 10), m);
    return NAMED[e] ?? m;
  });
}

function safeCodePoint(cp: number, fallback: string): string {
  try {
    return String.fromCodePoint(cp);
  } catch {
    return fallback;
  }
}
