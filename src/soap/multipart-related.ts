import { BridgeError } from '../errors/bridge-error';

/** Largest header block of one part (its lines and the blank line ending them). */
export const MAX_PART_HEADER_BYTES = 16 * 1024;
/** Largest run of transport padding (spaces, tabs) after a delimiter; composers send none. */
const MAX_PADDING = 998;

/** RFC 2046 §5.1.1: 1 to 70 bchars, not ending in a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

export function isValidBoundary(boundary: string): boolean {
  return BOUNDARY.test(boundary);
}

/** Headers of one part: lower-case names, folded lines joined, values trimmed. */
export type PartHeaders = ReadonlyMap<string, string>;

/** Receives what the scanner finds, in order: (part, data*, partEnd)+ then close. */
export interface MultipartListener {
  part(headers: PartHeaders): void;
  data(bytes: Buffer): void;
  /** The part's body is complete: a delimiter followed it, and that delimiter's line is valid. */
  partEnd(): void;
  close(): void;
}

/** Headers a part must not repeat: which one counts would be a guess. */
const SINGLE = new Set(['content-type', 'content-id', 'content-transfer-encoding']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');

/**
 * Splits a multipart body (RFC 2046 §5.1.1) pushed to it in chunks of any size: a delimiter
 * split across chunks is found, the preamble and epilogue are skipped, transport padding after a
 * delimiter is allowed. Lines must end in CRLF; a delimiter followed by anything but `--`,
 * padding or CRLF, a part header block over MAX_PART_HEADER_BYTES, a malformed or repeated
 * header and a close delimiter before any part are errors (SOAP_MALFORMED_ENVELOPE).
 *
 * Memory: besides what it hands to the listener, it keeps at most one header block or a
 * delimiter's length of bytes.
 *
 * @example
 * const s = new MultipartScanner('b1', listener);
 * s.write(Buffer.from('--b1\r\ncontent-id: <a>\r\n\r\nhello\r\n--b'));
 * s.write(Buffer.from('1--\r\n'));
 * s.end(); // listener saw part(content-id), data('hello'), partEnd, close
 */
export class MultipartScanner {
  private state: 'start' | 'preamble' | 'delimiter' | 'headers' | 'body' | 'epilogue' | 'stopped' = 'start';
  private pending: Buffer = Buffer.alloc(0);
  private readonly dashBoundary: Buffer;
  /** CRLF "--" boundary: ends a part (or the preamble). */
  private readonly delimiter: Buffer;
  private parts = 0;
  private failure: BridgeError | undefined;

  constructor(
    boundary: string,
    private readonly listener: MultipartListener,
  ) {
    if (!isValidBoundary(boundary)) throw new BridgeError('UNSUPPORTED_MEDIA_TYPE', `invalid multipart boundary "${boundary}" (RFC 2046: 1-70 characters from a restricted set)`);
    this.dashBoundary = Buffer.from(`--${boundary}`, 'latin1');
    this.delimiter = Buffer.concat([CRLF, this.dashBoundary]);
  }

  /** True once the close delimiter was seen. */
  get closed(): boolean {
    return this.state === 'epilogue';
  }

  /**
   * Stops scanning (from a listener callback, too): later bytes are not looked at, so a problem
   * after the part the caller wanted cannot fail it, whatever the chunking.
   */
  stop(): void {
    this.state = 'stopped';
    this.pending = Buffer.alloc(0);
  }

  /** Feeds a chunk; throws the first problem found (and again on every later call). */
  write(chunk: Buffer): void {
    if (this.failure) throw this.failure;
    if (this.state === 'epilogue' || this.state === 'stopped') return;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    try {
      while (this.step());
    } catch (e) {
      this.failure = e instanceof BridgeError ? e : new BridgeError('SOAP_MALFORMED_ENVELOPE', String(e), { cause: e });
      throw this.failure;
    }
  }

  /** The body ended: throws unless the close delimiter was seen. */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.state === 'epilogue' || this.state === 'stopped') return;
    const where = this.state === 'start' || this.state === 'preamble' ? 'before the first boundary' : this.state === 'headers' ? 'inside part headers' : 'before the closing boundary';
    throw (this.failure = malformed(`the multipart body ended ${where}`));
  }

  /** One step of the state machine; false when it needs more bytes. */
  private step(): boolean {
    const p = this.pending;
    switch (this.state) {
      case 'start': {
        // The first dash-boundary may open the body with no CRLF before it.
        const n = Math.min(p.length, this.dashBoundary.length);
        if (p.subarray(0, n).equals(this.dashBoundary.subarray(0, n))) {
          if (n < this.dashBoundary.length) return false;
          this.pending = p.subarray(n);
          this.state = 'delimiter';
          return true;
        }
        this.state = 'preamble';
        return true;
      }
      case 'preamble':
      case 'body': {
        const at = p.indexOf(this.delimiter);
        if (at === -1) {
          // Keep what may be the start of a delimiter split across chunks.
          const keep = Math.min(p.length, this.delimiter.length - 1);
          this.pending = Buffer.from(p.subarray(p.length - keep));
          if (this.state === 'body' && p.length > keep) this.listener.data(p.subarray(0, p.length - keep));
          return false;
        }
        const inBody = this.state === 'body';
        this.pending = p.subarray(at + this.delimiter.length);
        this.state = 'delimiter';
        // partEnd waits for the rest of the delimiter line: only a valid one ends the part.
        if (inBody && at > 0) this.listener.data(p.subarray(0, at));
        return true;
      }
      case 'delimiter':
        return this.afterDelimiter(p);
      case 'headers':
        return this.headers(p);
      case 'epilogue':
      case 'stopped':
        this.pending = Buffer.alloc(0);
        return false;
    }
  }

  /** After "--boundary": "--" closes, else transport padding and CRLF open the next part. */
  private afterDelimiter(p: Buffer): boolean {
    if (p.length < 2) return false;
    if (p[0] === 0x2d && p[1] === 0x2d) {
      if (this.parts === 0) throw malformed('the multipart body closes before its first part');
      this.state = 'epilogue';
      this.pending = Buffer.alloc(0);
      this.listener.partEnd();
      if (this.state === 'epilogue') this.listener.close();
      return false;
    }
    let i = 0;
    while (i < p.length && (p[i] === 0x20 || p[i] === 0x09)) i++;
    if (i > MAX_PADDING) throw malformed('too much white space after a multipart boundary');
    if (i + 2 > p.length) return false;
    if (p[i] !== 0x0d || p[i + 1] !== 0x0a) throw malformed('a multipart boundary is followed by something other than CRLF or "--"');
    this.pending = p.subarray(i + 2);
    this.state = 'headers';
    // State first, listener after: a listener may stop() the scanner.
    if (this.parts++ > 0) this.listener.partEnd();
    return true;
  }

  private headers(p: Buffer): boolean {
    let end: number;
    let bodyAt: number;
    if (p.length >= 2 && p[0] === 0x0d && p[1] === 0x0a) {
      end = 0;
      bodyAt = 2; // a part with no headers at all
    } else {
      const at = p.indexOf(CRLFCRLF);
      if (at === -1) {
        if (p.length > MAX_PART_HEADER_BYTES) throw malformed(`part headers longer than ${MAX_PART_HEADER_BYTES} bytes`);
        return false;
      }
      end = at;
      bodyAt = at + 4;
    }
    if (bodyAt > MAX_PART_HEADER_BYTES) throw malformed(`part headers longer than ${MAX_PART_HEADER_BYTES} bytes`);
    const headers = parsePartHeaders(p.toString('latin1', 0, end));
    this.pending = p.subarray(bodyAt);
    this.state = 'body';
    this.listener.part(headers);
    return true;
  }
}

/** RFC 5322 header lines separated by CRLF; folded lines (starting with SP/HT) continue the previous one. */
export function parsePartHeaders(text: string): PartHeaders {
  const out = new Map<string, string>();
  if (text === '') return out;
  if (/[\r\n\0]/.test(text.replace(/\r\n/g, ''))) throw malformed('a bare CR, LF or NUL in part headers');
  /** The header a continuation line extends; null while skipping a repeated header. */
  let last: string | null | undefined;
  for (const line of text.split('\r\n')) {
    if (line[0] === ' ' || line[0] === '\t') {
      if (last === undefined) throw malformed('part headers start with a continuation line');
      if (last !== null) out.set(last, `${out.get(last)!} ${line.trim()}`.trim());
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!HEADER_NAME.test(name)) throw malformed(`malformed part header line "${line.slice(0, 80)}"`);
    const key = name.toLowerCase();
    if (out.has(key)) {
      if (SINGLE.has(key)) throw malformed(`part header ${name} appears twice`);
      last = null; // later copies of other headers are ignored, folded lines included
      continue;
    }
    out.set(key, line.slice(colon + 1).trim());
    last = key;
  }
  return out;
}

function malformed(detail: string): BridgeError {
  return new BridgeError('SOAP_MALFORMED_ENVELOPE', detail);
}
