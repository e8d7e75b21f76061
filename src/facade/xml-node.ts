/**
 * A namespace-resolved element of a backend response, built by the scanner (xml-scanner.ts;
 * document order and mixed text kept). Only the five predefined entities plus character
 * references are decoded, so no entity declaration can ever be expanded. DOCTYPE is refused.
 */
export interface XNode {
  ns: string;
  local: string;
  /** Unqualified attributes by local name, qualified ones as `{ns}local`; values decoded. */
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XNode[];
  /** Direct text content (text and CDATA, decoded, concatenated). */
  text: string;
  /** The namespace a prefix ('' for the default namespace) is bound to here, if any. */
  lookupNs(prefix: string): string | undefined;
  /** The element as written in the response, with the in-scope namespace declarations it needs. */
  raw(): string;
}

export const MAX_DEPTH = 256;
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/**
 * In-scope namespace declarations as a chain from the element to the document: an element that
 * declares nothing shares its parent's, and a lookup walks a handful of links (no object copied
 * per declaring element).
 */
export class Scope {
  constructor(
    readonly parent: Scope | null,
    readonly prefix: string,
    readonly uri: string,
  ) {}

  get(prefix: string): string | undefined {
    for (let s: Scope | null = this; s !== null; s = s.parent) if (s.prefix === prefix) return s.uri;
    return undefined;
  }
}

export const ROOT_SCOPE = new Scope(null, 'xml', XML_NS);

/** Shared by every element without children: most elements are leaves. */
export const NO_CHILDREN = Object.freeze([]) as unknown as XNode[];

/**
 * One element as parsed: the XNode fields plus where it sits in the source, so `raw()` copies it
 * verbatim (with the namespace declarations it inherits) instead of re-serialising it.
 */
export class Element implements XNode {
  /** Shared (empty, frozen) until the first child: most elements are leaves. */
  children: XNode[] = NO_CHILDREN;
  text = '';
  end = 0;
  constructor(
    readonly ns: string,
    readonly local: string,
    readonly attrs: Readonly<Record<string, string>>,
    readonly scope: Scope,
    private readonly src: string,
    private readonly start: number,
    /** The qualified name as written (`x:Add`). */
    readonly tag: string,
    /** Attribute names as written, xmlns declarations included. */
    readonly attrNames: readonly string[],
  ) {}

  lookupNs(prefix: string): string | undefined {
    return this.scope.get(prefix);
  }

  raw(): string {
    const at = this.start + 1 + this.tag.length;
    return this.src.slice(this.start, at) + inheritedDecls(this) + this.src.slice(at, this.end);
  }
}

/**
 * Declarations the subtree needs from its ancestors: the prefixes its element and attribute
 * names use (and the default namespace), unless the element declares them itself. Prefixes used
 * only inside text (QName values) cannot be known and are not carried.
 */
function inheritedDecls(n: Element): string {
  const used = new Set<string>();
  const visit = (x: Element, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    const i = x.tag.indexOf(':');
    used.add(i < 0 ? '' : x.tag.slice(0, i));
    for (const k of x.attrNames) if (k.includes(':') && !k.startsWith('xmlns')) used.add(k.slice(0, k.indexOf(':')));
    for (const c of x.children) visit(c as Element, depth + 1);
  };
  visit(n, 0);
  let s = '';
  for (const p of used) {
    const ns = n.scope.get(p);
    if (p === 'xml' || ns === undefined || (p === '' && ns === '')) continue;
    const attr = p === '' ? 'xmlns' : `xmlns:${p}`;
    if (n.attrNames.includes(attr)) continue;
    s += ` ${attr}="${ns.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`;
  }
  return s;
}
