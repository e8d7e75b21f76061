/** Decodes bytes honouring a BOM or the XML declaration's encoding (UTF-8 by default). */
export function decodeXml(buf: Uint8Array): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return new TextDecoder('utf-8').decode(buf.subarray(3));
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  const head = Buffer.from(buf.subarray(0, 200)).toString('latin1');
  const enc = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  if (enc && enc !== 'utf-8' && enc !== 'utf8') {
    try {
      return new TextDecoder(enc).decode(buf);
    } catch {
      // Unknown label: fall through to UTF-8, which the parser will judge.
    }
  }
  return new TextDecoder('utf-8').decode(buf);
}
