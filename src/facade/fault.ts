import { BridgeError } from '../errors/bridge-error';
import { toProblem, type Problem } from '../errors/to-problem';
import { NS } from '../wsdl/qname';
import type { SoapVersion } from '../wsdl/model';
import type { JsonObject, JsonValue } from './json';
import type { XNode } from './xml-tree';

export interface FaultStatusMap {
  /** HTTP status for client faults (1.1 Client*, 1.2 Sender); default 400. */
  client: number;
  /** HTTP status for every other fault; default 502. */
  server: number;
}

export interface SoapFault {
  version: SoapVersion;
  /** faultcode (1.1) or Code/Value (1.2) as sent, e.g. `soap:Client`. */
  code: string;
  subcodes: string[];
  side: 'client' | 'server';
  /** faultstring (1.1) or the first Reason/Text (1.2). */
  reason: string;
  actor: string | null;
  /** The detail (1.1) / Detail (1.2) element, if any. */
  detail: XNode | null;
}

const local = (n: XNode, name: string): XNode | undefined => n.children.find((c) => c.local === name);

/** The Fault element of a Body, or null. */
export function findFault(body: XNode, version: SoapVersion): XNode | null {
  const ns = version === '1.2' ? NS.soap12env : NS.soapenv;
  return body.children.find((c) => c.local === 'Fault' && c.ns === ns) ?? null;
}

export function readFault(fault: XNode, version: SoapVersion): SoapFault {
  if (version === '1.2') {
    const code = local(fault, 'Code');
    const value = code ? local(code, 'Value')?.text.trim() ?? '' : '';
    const subcodes: string[] = [];
    let sub = code ? local(code, 'Subcode') : undefined;
    while (sub && subcodes.length < 16) {
      subcodes.push(local(sub, 'Value')?.text.trim() ?? '');
      sub = local(sub, 'Subcode');
    }
    const reason = local(fault, 'Reason');
    const text = reason ? (reason.children.find((t) => t.local === 'Text' && /^en/i.test(t.attrs['{http://www.w3.org/XML/1998/namespace}lang'] ?? '')) ?? local(reason, 'Text')) : undefined;
    const role = local(fault, 'Role') ?? local(fault, 'Node');
    const localValue = value.slice(value.indexOf(':') + 1);
    return {
      version,
      code: value,
      subcodes,
      side: localValue === 'Sender' || localValue === 'DataEncodingUnknown' ? 'client' : 'server',
      reason: text?.text ?? '',
      actor: role ? role.text.trim() : null,
      detail: local(fault, 'Detail') ?? null,
    };
  }
  const code = local(fault, 'faultcode')?.text.trim() ?? '';
  const localCode = code.slice(code.indexOf(':') + 1);
  return {
    version,
    code,
    subcodes: [],
    side: localCode === 'Client' || localCode.startsWith('Client.') ? 'client' : 'server',
    reason: local(fault, 'faultstring')?.text ?? '',
    actor: local(fault, 'faultactor')?.text.trim() ?? null,
    detail: local(fault, 'detail') ?? null,
  };
}

/**
 * A backend SOAP Fault as problem+json: the stable code says which side failed, and the
 * fault's own code, text and detail travel as extension members.
 *
 * @example faultToProblem(fault, { MyFault: { reason: 'x' } }, { client: 400, server: 502 })
 *   // → { status: 400, problem: { code: 'BACKEND_CLIENT_FAULT', faultcode: 'soap:Client', faultstring: '…', faultdetail: {…} } }
 */
export function faultToProblem(f: SoapFault, detail: JsonValue | null, statuses: FaultStatusMap): { status: number; problem: Problem } {
  const status = f.side === 'client' ? statuses.client : statuses.server;
  const extensions: JsonObject = { faultcode: f.code, faultstring: f.reason };
  if (f.subcodes.length > 0) extensions.subcodes = f.subcodes;
  if (f.actor) extensions.faultactor = f.actor;
  // `detail` is RFC 9457's human-readable member, so the SOAP detail travels as `faultdetail`.
  if (detail !== null) extensions.faultdetail = detail;
  const err = new BridgeError(f.side === 'client' ? 'BACKEND_CLIENT_FAULT' : 'BACKEND_SERVER_FAULT', f.reason || `SOAP Fault ${f.code}`, { status, extensions });
  return { status, problem: toProblem(err) };
}
