import { StringDecoder } from 'node:string_decoder';
import { TextDecoder } from 'node:util';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { BridgeError } from '../errors/bridge-error';
import { SOAP11_ENV, SOAP12_ENV, type SoapVersion } from '../errors/to-soap-fault';

/** What the inspector learnt from the start of an envelope. */
export interface EnvelopeStart {
  readonly version: SoapVersion;
  /** Clark name `{ns}local` of the first child of Body, or null for an empty Body. */
  readonly firstBodyElement: string | null;
}

/**
 * Checks a SOAP envelope incrementally, chunk by chunk, without building a tree: the root must
 * be an Envelope of the expected version, there must be a Body, no DOCTYPE (so no entity can be
 * declared, let alone expanded or fetched) and the document must be well-formed to the end.
 * `onStart` fires once the first Body child (or Body's end) is seen, so the caller can pick the
 * operation while later bytes are still arriving.
 */
export class EnvelopeInspector {
  private readonly parser = new SaxesParser({ xmlns: true, position: false });
  // Chunks may split a multi-byte character; the decoder carries the partial bytes over. Its
  // encoding is sniffed from the first two bytes: WS-I BP R1012 allows UTF-8 and UTF-16 messages.
  private decoder: { write(b: Buffer): string; end(): string } | undefined;
  private firstByte: Buffer | undefined;
  private depth = 0;
  private state: 'root' | 'envelope' | 'body' | 'done' = 'root';
  private failure: BridgeError | undefined;
  private started: EnvelopeStart | undefined;

  constructor(
    private readonly expected: SoapVersion,
    private readonly onStart: (start: EnvelopeStart) => void,
  ) {
    this.parser.on('doctype', () => this.fail('SOAP_MALFORMED_ENVELOPE', 'DOCTYPE is not allowed in a SOAP message'));
    this.parser.on('error', (e) => this.fail('SOAP_MALFORMED_ENVELOPE', `not well-formed XML: ${e.message}`));
    this.parser.on('opentag', (t) => this.open(t));
    this.parser.on('closetag', () => this.close());
  }

  /** Feeds a chunk; throws the first problem found. */
  write(chunk: Buffer | string): void {
    if (this.failure) throw this.failure;
    this.parser.write(typeof chunk === 'string' ? chunk : this.decode(chunk));
    if (this.failure) throw this.failure;
  }

  private decode(chunk: Buffer): string {
    if (!this.decoder) {
      const head = this.firstByte ? Buffer.concat([this.firstByte, chunk]) : chunk;
      if (head.length < 2) {
        this.firstByte = head;
        return '';
      }
      this.firstByte = undefined;
      this.decoder = decoderFor(head[0]!, head[1]!);
      chunk = head;
    }
    return this.decoder.write(chunk);
  }

  /** Ends the document; throws when it is incomplete or never had a Body. */
  end(): EnvelopeStart {
    if (this.failure) throw this.failure;
    this.parser.write(this.decoder ? this.decoder.end() : (this.firstByte?.toString('utf8') ?? ''));
    this.parser.close();
    if (this.failure) throw this.failure;
    if (!this.started) throw new BridgeError('SOAP_MALFORMED_ENVELOPE', 'the envelope has no Body');
    return this.started;
  }

  get start(): EnvelopeStart | undefined {
    return this.started;
  }

  private open(t: SaxesTagNS): void {
    this.depth++;
    if (this.failure) return;
    if (this.state === 'root') {
      if (t.local !== 'Envelope') return this.fail('SOAP_MALFORMED_ENVELOPE', `root element is <${t.name}>, not a SOAP Envelope`);
      const version = t.uri === SOAP11_ENV ? '1.1' : t.uri === SOAP12_ENV ? '1.2' : undefined;
      if (!version) return this.fail('SOAP_VERSION_MISMATCH', `Envelope namespace "${t.uri}" is neither SOAP 1.1 nor SOAP 1.2`);
      if (version !== this.expected) {
        return this.fail('SOAP_VERSION_MISMATCH', `a SOAP ${version} envelope sent with the content type of SOAP ${this.expected}`);
      }
      this.state = 'envelope';
    } else if (this.state === 'envelope' && this.depth === 2 && t.local === 'Body' && t.uri === envNs(this.expected)) {
      this.state = 'body';
    } else if (this.state === 'body' && this.depth === 3) {
      this.begin(`{${t.uri}}${t.local}`);
    }
  }

  private close(): void {
    if (this.state === 'body' && this.depth === 2) this.begin(null);
    this.depth--;
  }

  private begin(element: string | null): void {
    this.state = 'done';
    if (this.failure) return;
    this.started = { version: this.expected, firstBodyElement: element };
    this.onStart(this.started);
  }

  private fail(code: 'SOAP_MALFORMED_ENVELOPE' | 'SOAP_VERSION_MISMATCH', detail: string): void {
    this.failure ??= new BridgeError(code, detail);
  }
}

/** UTF-16 by its BOM or by `<` as a 16-bit unit (XML 1.0 appendix F); UTF-8 otherwise. */
function decoderFor(b0: number, b1: number): { write(b: Buffer): string; end(): string } {
  if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0x00 && b1 === 0x3c)) {
    const d = new TextDecoder('utf-16be');
    return { write: (b) => d.decode(b, { stream: true }), end: () => d.decode() };
  }
  return new StringDecoder((b0 === 0xff && b1 === 0xfe) || (b0 === 0x3c && b1 === 0x00) ? 'utf16le' : 'utf8');
}

function envNs(v: SoapVersion): string {
  return v === '1.1' ? SOAP11_ENV : SOAP12_ENV;
}
