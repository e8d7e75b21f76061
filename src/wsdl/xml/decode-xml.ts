/**
 * Decodes XML bytes: a BOM decides, else `charset` (the HTTP Content-Type's parameter, when the
 * bytes came over HTTP: it wins over the declaration, RFC 7303 §3.2), else the XML declaration's
 * encoding, else UTF-8. An unknown label falls back to UTF-8, which the parser will judge.
 */
export function decodeXml(buf: Uint8Array, charset?: string): string {
  const bom = bomOf(buf);
  if (bom === 'utf-8') return utf8(buf.subarray(3));
  if (bom) return new TextDecoder(bom).decode(buf.subarray(2));
  const label = charset ?? declaredEncoding(buf);
  if (label !== undefined && !/^utf-?8$/i.test(label)) {
    try {
      return new TextDecoder(label.toLowerCase()).decode(buf);
    } catch {
      // Unknown label: UTF-8 below.
    }
  }
  return utf8(buf);
}

/**
 * The bytes as UTF-8 when the document says nothing of its own encoding (no BOM, no `encoding`
 * in its declaration) and the transport names another charset, e.g. an HTTP
 * `text/xml; charset=ISO-8859-1` on a WSDL without a declaration, which UTF-8 would garble.
 * A document that declares its encoding keeps it: servers label static files with their default
 * charset (often `utf-8`) whatever the file holds, while the declaration travels with the file.
 */
export function toUtf8ByCharset(buf: Uint8Array, charset: string | undefined): Uint8Array {
  if (charset === undefined || /^utf-?8$/i.test(charset)) return buf;
  if (bomOf(buf) !== undefined || declaredEncoding(buf) !== undefined) return buf;
  let text: string;
  try {
    text = new TextDecoder(charset.toLowerCase()).decode(buf);
  } catch {
    return buf; // a label no decoder knows: read as UTF-8, as without it
  }
  return Buffer.from(text, 'utf8');
}

/** The encoding a byte order mark names, if the bytes start with one. */
function bomOf(buf: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' | undefined {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return 'utf-8';
  if (buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
  if (buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
  return undefined;
}

function declaredEncoding(buf: Uint8Array): string | undefined {
  if (buf[0] !== 0x3c && buf[0] !== 0x20 && buf[0] !== 0x0a && buf[0] !== 0x0d && buf[0] !== 0x09) return undefined;
  return xmlDeclEncoding(Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.byteLength, 200)).toString('latin1'))?.label;
}

/** The `encoding` label of the XML declaration at the start of `text`, and where the label starts. */
export function xmlDeclEncoding(text: string): { label: string; at: number } | undefined {
  const m = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(text);
  const label = m?.[1];
  return m && label ? { label, at: m.index + m[0].length - label.length - 1 } : undefined;
}

function utf8(buf: Uint8Array): string {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8');
}
