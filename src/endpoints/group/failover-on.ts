import { Readable } from 'node:stream';
import type { BackendResponse } from '../endpoint';
import { BridgeError } from '../../errors/bridge-error';
import type { FailoverOnConfig } from '../../config/endpoint-schema';
import { readUpTo } from '../replay';
import { parseXmlTree, localPart, type XmlNode } from '../dynamic/xml-tree';

/** Compiled `failoverOn` of a group, checked by each member leaf on its own responses. */
export interface FailoverOn {
  readonly status: ReadonlySet<number>;
  /** Local names of fault codes; `Server`/`Receiver` and `Client`/`Sender` match each other. */
  readonly soapFault: ReadonlySet<string>;
  /** Largest failing response kept (to answer the client when every member failed). */
  readonly maxBodyBytes: number;
}

const SOAP_EQUIVALENT: Readonly<Record<string, string>> = { Server: 'Receiver', Receiver: 'Server', Client: 'Sender', Sender: 'Client' };

export function compileFailoverOn(cfg: FailoverOnConfig | undefined, maxBodyBytes = 64 * 1024): FailoverOn | undefined {
  if (!cfg || ((cfg.status?.length ?? 0) === 0 && (cfg.soapFault?.length ?? 0) === 0)) return undefined;
  const faults = new Set<string>();
  for (const f of cfg.soapFault ?? []) {
    const l = localPart(f);
    faults.add(l);
    if (SOAP_EQUIVALENT[l]) faults.add(SOAP_EQUIVALENT[l]);
  }
  return { status: new Set(cfg.status ?? []), soapFault: faults, maxBodyBytes };
}

/**
 * A member answered, but with a status or fault the group fails over on. It is a retryable
 * BridgeError (so groups treat it like any other failure) that keeps the answer: when every
 * member failed, the client gets the last real answer rather than a generic 502.
 */
export class FailedResponse extends BridgeError {
  constructor(
    detail: string,
    private readonly answer: { status: number; headers: BackendResponse['headers']; endpoint: string; body: Buffer | null },
  ) {
    super('BACKEND_SERVER_FAULT', detail, { requestSent: true, retryable: true, extensions: { backendStatus: answer.status } });
  }

  /** The kept answer with a fresh body stream, or undefined when it was too large to keep. */
  response(): BackendResponse | undefined {
    const { body, ...rest } = this.answer;
    if (body === null) return undefined;
    const headers = { ...rest.headers, 'content-length': String(body.length) };
    const res = { ...rest, headers, body: Readable.from([body]) };
    KEPT.set(res, this);
    return res;
  }
}

/**
 * Kept answers a group returned because all its members failed. A group nested in another one
 * must not let its enclosing group take such an answer for a success, so the enclosing group
 * asks `failureBehind` and treats the answer as the failure it stands for.
 */
const KEPT = new WeakMap<BackendResponse, FailedResponse>();

export function failureBehind(res: BackendResponse): FailedResponse | undefined {
  return KEPT.get(res);
}

async function keep(res: BackendResponse, limit: number): Promise<Buffer | null> {
  const c = await readUpTo(res.body, limit);
  if (c.complete) return c.buf;
  c.stream.destroy();
  return null;
}

function isXml(res: BackendResponse): boolean {
  const ct = res.headers['content-type'];
  return /xml/i.test(Array.isArray(ct) ? ct.join(',') : (ct ?? ''));
}

/**
 * Passes the response through, or throws FailedResponse. Only 500 responses with an XML
 * content type are buffered for fault inspection (SOAP 1.1 and 1.2 both answer faults with 500);
 * everything else streams untouched. A fault too large to buffer is passed through unparsed.
 */
export async function checkResponse(res: BackendResponse, on: FailoverOn | undefined): Promise<BackendResponse> {
  if (!on) return res;
  if (on.status.has(res.status)) {
    const body = await keep(res, on.maxBodyBytes).catch(() => null);
    throw new FailedResponse(`${res.endpoint} answered ${res.status}`, { ...res, body });
  }
  if (on.soapFault.size === 0 || res.status !== 500 || !isXml(res)) return res;
  const c = await readUpTo(res.body, on.maxBodyBytes);
  if (!c.complete) return { ...res, body: c.stream };
  const code = faultCode(c.buf.toString('utf8'));
  if (code !== undefined && on.soapFault.has(code)) {
    throw new FailedResponse(`${res.endpoint} answered a SOAP fault ${code}`, { ...res, body: c.buf });
  }
  return { ...res, body: Readable.from([c.buf]) };
}

function child(n: XmlNode | undefined, local: string): XmlNode | undefined {
  return n?.children.find((c) => c.local === local);
}

/** Local name of the fault code: 1.1 `faultcode`, 1.2 `Code/Value`; undefined when no Fault. */
export function faultCode(xml: string): string | undefined {
  const env = parseXmlTree(xml);
  if (!env || env.local !== 'Envelope') return undefined;
  const fault = child(child(env, 'Body'), 'Fault');
  if (!fault) return undefined;
  const v11 = child(fault, 'faultcode');
  if (v11) return localPart(v11.text);
  const v12 = child(child(fault, 'Code'), 'Value');
  return v12 ? localPart(v12.text) : undefined;
}
