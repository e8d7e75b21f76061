import { createHash, randomBytes } from 'node:crypto';
import type { BackendRequest, BackendResponse, CallContext } from '../endpoints/endpoint';
import type { AuthTarget, BackendAuth, Dispatch } from './backend-auth';
import { BridgeError } from '../errors/bridge-error';
import { readUpTo } from '../endpoints/replay';
import { EnvelopeShapeError, insertHeaderBlock, SOAP11_NS, SOAP12_NS } from './soap-header';
import { relatedRequestInfo } from '../soap/related-request';
import { rootPartRange } from '../soap/root-part';

/** OASIS WSS 1.0 namespaces and token profile URIs. */
export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const TOKEN_PROFILE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0';
export const PASSWORD_TEXT = `${TOKEN_PROFILE}#PasswordText`;
export const PASSWORD_DIGEST = `${TOKEN_PROFILE}#PasswordDigest`;
const BASE64_BINARY = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

export interface WsSecurityOptions {
  readonly username: string;
  readonly password: string;
  readonly passwordType: 'PasswordText' | 'PasswordDigest';
  /** Envelopes are buffered to be rewritten; larger ones are refused (413). */
  readonly maxEnvelopeBytes: number;
  /** Injectable for tests (RFC-style fixed vectors). */
  readonly now?: () => Date;
  readonly nonce?: () => Buffer;
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Password_Digest = Base64(SHA-1(nonce + created + password)), nonce as raw bytes (WSS UsernameToken Profile 1.0 §3.1). */
export function passwordDigest(nonce: Buffer, created: string, password: string): string {
  return createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')])).digest('base64');
}

/** The `<wsse:Security>` block with a UsernameToken. */
export function usernameTokenBlock(o: WsSecurityOptions, envPrefix: string, version: '1.1' | '1.2'): string {
  const nonce = (o.nonce ?? (() => randomBytes(16)))();
  // WSS wants xsd:dateTime in UTC; milliseconds are allowed and make replays rarer.
  const created = (o.now ?? (() => new Date()))().toISOString();
  const password = o.passwordType === 'PasswordDigest' ? passwordDigest(nonce, created, o.password) : o.password;
  const type = o.passwordType === 'PasswordDigest' ? PASSWORD_DIGEST : PASSWORD_TEXT;
  // mustUnderstand lives in the envelope namespace; a default-namespace Envelope has no prefix to use.
  const ep = envPrefix === '' ? 'sbenv' : envPrefix;
  const envDecl = envPrefix === '' ? ` xmlns:sbenv="${version === '1.1' ? SOAP11_NS : SOAP12_NS}"` : '';
  const mu = version === '1.1' ? '1' : 'true';
  return (
    `<wsse:Security xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU_NS}"${envDecl} ${ep}:mustUnderstand="${mu}">` +
    `<wsse:UsernameToken wsu:Id="UsernameToken-${randomBytes(8).toString('hex')}">` +
    `<wsse:Username>${xmlEscape(o.username)}</wsse:Username>` +
    `<wsse:Password Type="${type}">${xmlEscape(password)}</wsse:Password>` +
    `<wsse:Nonce EncodingType="${BASE64_BINARY}">${nonce.toString('base64')}</wsse:Nonce>` +
    `<wsu:Created>${created}</wsu:Created>` +
    `</wsse:UsernameToken></wsse:Security>`
  );
}

/**
 * WS-Security UsernameToken: the envelope is buffered (up to `maxEnvelopeBytes`), a fresh
 * `<wsse:Security>` header block (new nonce and created per request) is put first in its
 * soap:Header (created when absent), and the request goes out once with the new length. An
 * MTOM/SwA body is buffered whole (same limit); the block goes into its root part's envelope.
 * Requests without a body (GET) pass unchanged.
 */
export class WsSecurityAuth implements BackendAuth {
  readonly type = 'wsSecurity';

  constructor(private readonly opts: WsSecurityOptions) {}

  async execute(req: BackendRequest, _target: AuthTarget, dispatch: Dispatch, _ctx: CallContext): Promise<BackendResponse> {
    if (req.body === null) return dispatch(req);
    const body = await this.readEnvelope(req);
    // MTOM / SwA: the header goes into the root part's envelope; the parts around it stay as they came.
    const related = relatedRequestInfo(req.headers);
    const { from, to } = related?.ok ? rootPartRange(body, related.request.boundary, related.request.start) : { from: 0, to: body.length };
    let inserted: Buffer;
    try {
      inserted = insertHeaderBlock(body.subarray(from, to), (p, v) => usernameTokenBlock(this.opts, p, v)).envelope;
    } catch (e) {
      if (!(e instanceof EnvelopeShapeError)) throw e;
      throw new BridgeError('SOAP_MALFORMED_ENVELOPE', `wsSecurity: cannot add the Security header: ${e.message}`, { cause: e });
    }
    if (from > 0 || to < body.length) inserted = Buffer.concat([body.subarray(0, from), inserted, body.subarray(to)]);
    const headers: Record<string, string | string[]> = { ...req.headers, 'content-length': String(inserted.length) };
    delete headers['transfer-encoding'];
    return dispatch({ ...req, headers, body: inserted, bodyLength: inserted.length });
  }

  private async readEnvelope(req: BackendRequest): Promise<Buffer> {
    const body = req.body!;
    if (Buffer.isBuffer(body)) return this.checkSize(body.length, body);
    if (req.bodyLength !== undefined && req.bodyLength > this.opts.maxEnvelopeBytes) {
      body.destroy();
      return this.checkSize(req.bodyLength, Buffer.alloc(0));
    }
    let captured;
    try {
      captured = await readUpTo(body, this.opts.maxEnvelopeBytes);
    } catch (e) {
      throw new BridgeError('BAD_REQUEST', 'the request body could not be read (client closed the connection?)', { cause: e });
    }
    if (!captured.complete) {
      captured.stream.destroy();
      return this.checkSize(this.opts.maxEnvelopeBytes + 1, Buffer.alloc(0));
    }
    return captured.buf;
  }

  private checkSize(size: number, buf: Buffer): Buffer {
    if (size > this.opts.maxEnvelopeBytes) {
      throw new BridgeError('BODY_TOO_LARGE', `wsSecurity: the envelope (${size} bytes) is over the ${this.opts.maxEnvelopeBytes} bytes that can be buffered to add the Security header`);
    }
    return buf;
  }
}
