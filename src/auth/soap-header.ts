/**
 * Inserts a SOAP header block into an envelope without parsing the whole document: only the
 * prolog, the Envelope start tag and the start of its first child are read. The text is handled
 * as latin1 so every byte survives untouched (UTF-8 or any ASCII-compatible encoding); the
 * inserted block is written as UTF-8 (ASCII for ASCII credentials). UTF-16 envelopes are refused.
 */
export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';

export class EnvelopeShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvelopeShapeError';
  }
}

interface StartTag {
  readonly start: number;
  /** Index just after '>' */
  readonly end: number;
  readonly prefix: string;
  readonly local: string;
  readonly selfClosing: boolean;
  readonly attrs: ReadonlyMap<string, string>;
}

/** Skips whitespace, comments, PIs and the DOCTYPE-free prolog up to the next '<' of an element. */
function nextElementStart(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('<?', i)) {
      const e = text.indexOf('?>', i);
      if (e < 0) throw new EnvelopeShapeError('unterminated processing instruction');
      i = e + 2;
    } else if (text.startsWith('<!--', i)) {
      const e = text.indexOf('-->', i);
      if (e < 0) throw new EnvelopeShapeError('unterminated comment');
      i = e + 3;
    } else if (text[i] === '<' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
      return i;
    } else if (text.charCodeAt(i) === 0xef && text.charCodeAt(i + 1) === 0xbb && text.charCodeAt(i + 2) === 0xbf && i === 0) {
      i += 3; // UTF-8 byte order mark
    } else {
      throw new EnvelopeShapeError(`expected an element at byte ${i}`);
    }
  }
}

function readStartTag(text: string, start: number): StartTag {
  const nameMatch = /^<([A-Za-z_][\w.\-]*)(?::([A-Za-z_][\w.\-]*))?/.exec(text.slice(start, start + 300));
  if (!nameMatch) throw new EnvelopeShapeError(`expected a start tag at byte ${start}`);
  const prefix = nameMatch[2] !== undefined ? nameMatch[1]! : '';
  const local = nameMatch[2] ?? nameMatch[1]!;
  const attrs = new Map<string, string>();
  const attrRe = /\s*([A-Za-z_][\w.\-:]*)\s*=\s*("[^"]*"|'[^']*')|\s*(\/?>)/y;
  attrRe.lastIndex = start + nameMatch[0].length;
  for (;;) {
    const m = attrRe.exec(text);
    if (!m) throw new EnvelopeShapeError(`malformed start tag at byte ${start}`);
    if (m[3] !== undefined) return { start, end: attrRe.lastIndex, prefix, local, selfClosing: m[3] === '/>', attrs };
    attrs.set(m[1]!, m[2]!.slice(1, -1));
  }
}

function nsOf(prefix: string, ...scopes: ReadonlyMap<string, string>[]): string | undefined {
  const key = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
  for (const s of scopes) if (s.has(key)) return s.get(key);
  return undefined;
}

export interface Inserted {
  readonly envelope: Buffer;
  readonly soapVersion: '1.1' | '1.2';
}

/**
 * Puts `block(envPrefix, version)` first inside soap:Header, creating the Header when absent.
 * `block` gets the prefix bound to the SOAP envelope namespace so it can write mustUnderstand.
 */
export function insertHeaderBlock(envelope: Buffer, block: (envPrefix: string, version: '1.1' | '1.2') => string): Inserted {
  const text = envelope.toString('latin1');
  const env = readStartTag(text, nextElementStart(text, 0));
  const ns = nsOf(env.prefix, env.attrs);
  if (env.local !== 'Envelope' || (ns !== SOAP11_NS && ns !== SOAP12_NS)) {
    throw new EnvelopeShapeError('the document element is not a SOAP 1.1 or 1.2 Envelope');
  }
  if (env.selfClosing) throw new EnvelopeShapeError('the Envelope is empty');
  const version = ns === SOAP11_NS ? '1.1' : '1.2';
  const child = readStartTag(text, nextElementStart(text, env.end));
  const childNs = nsOf(child.prefix, child.attrs, env.attrs);
  const p = env.prefix;
  const q = p === '' ? '' : `${p}:`;
  // The block is UTF-8 text; as latin1 it becomes its own bytes, like the rest of `text`.
  const blockText = Buffer.from(block(p, version), 'utf8').toString('latin1');
  let out: string;
  if (child.local === 'Header' && childNs === ns) {
    if (child.selfClosing) {
      const open = text.slice(child.start, child.end - 2).trimEnd() + '>';
      const cq = child.prefix === '' ? '' : `${child.prefix}:`;
      out = text.slice(0, child.start) + open + blockText + `</${cq}Header>` + text.slice(child.end);
    } else {
      out = text.slice(0, child.end) + blockText + text.slice(child.end);
    }
  } else {
    out = text.slice(0, env.end) + `<${q}Header>${blockText}</${q}Header>` + text.slice(env.end);
  }
  return { envelope: Buffer.from(out, 'latin1'), soapVersion: version };
}
