import type { Operation, WsdlModel } from '../wsdl/model';
import type { SoapVersion } from '../errors/to-soap-fault';
import { BridgeError } from '../errors/bridge-error';
import { qnLocal } from '../wsdl/qname';

/**
 * Finds the WSDL operation of an incoming envelope: by action first (SOAPAction / action=),
 * else by the Clark name of the Body's first element (document: the first body part's element;
 * rpc: the wrapper named after the operation in soap:body/@namespace).
 *
 * Some services give every operation the same action (SoftLayer, UPS Ship): an action shared by
 * several operations only narrows the choice, and the Body's element picks among them.
 * Clients are let through where the WSDL still names one operation: an rpc wrapper in another
 * namespace (the `soap` package uses the target namespace, not soap:body's) is matched by its
 * name, and an empty Body by the one operation whose input has no body part.
 */
export class OperationIndex {
  private readonly byAction = new Map<string, Operation[]>();
  private readonly byElement = new Map<string, Operation[]>();
  /** rpc operations by version and name, for wrappers in the wrong namespace. */
  private readonly rpcByName = new Map<string, Operation[]>();
  readonly operations: readonly Operation[];

  constructor(model: WsdlModel) {
    // One row per operation name and SOAP version is enough: ports of one binding agree.
    const seen = new Set<string>();
    const ops: Operation[] = [];
    for (const op of model.operations) {
      const key = `${op.soapVersion}|${op.key}|${op.binding}`;
      if (seen.has(key)) continue;
      seen.add(key);
      ops.push(op);
      if (op.soapAction) this.put(this.byAction, `${op.soapVersion}|${op.soapAction}`, op);
      // An empty string stands for an empty Body (an input message without body parts).
      const el = op.style === 'rpc' ? `{${op.input?.namespace ?? ''}}${op.name}` : (op.inputElement ?? firstBodyElement(op));
      if (el !== null) this.put(this.byElement, `${op.soapVersion}|${el}`, op);
      if (op.style === 'rpc') this.put(this.rpcByName, `${op.soapVersion}|${op.name}`, op);
    }
    this.operations = ops;
  }

  private put(map: Map<string, Operation[]>, key: string, op: Operation): void {
    const list = map.get(key);
    if (!list) map.set(key, [op]);
    else if (!list.some((o) => o.key === op.key)) list.push(op);
  }

  /** The operation, or SOAP_UNKNOWN_OPERATION naming what was looked for. */
  resolve(version: SoapVersion, action: string, element: string | null): Operation {
    const other: SoapVersion = version === '1.1' ? '1.2' : '1.1';
    const byAction = action ? (this.byAction.get(`${version}|${action}`) ?? this.byAction.get(`${other}|${action}`)) : undefined;
    if (byAction?.length === 1) return byAction[0]!;
    const el = element ?? '';
    const byElement = this.byElement.get(`${version}|${el}`) ?? this.byElement.get(`${other}|${el}`);
    // A shared action: the operation among them whose input the Body carries, else the first.
    const op = (byAction && byElement?.find((o) => byAction.includes(o))) ?? byAction?.[0] ?? (element === null && byElement?.length !== 1 ? undefined : byElement?.[0]);
    if (op) return op;
    const byName = element ? (this.rpcByName.get(`${version}|${qnLocal(element)}`) ?? this.rpcByName.get(`${other}|${qnLocal(element)}`)) : undefined;
    if (byName?.length === 1) return byName[0]!;
    const what = [action ? `action "${action}"` : '', element ? `body element <${qnLocal(element)}> in namespace "${element.slice(1, element.lastIndexOf('}'))}"` : 'an empty Body']
      .filter(Boolean)
      .join(' and ');
    throw new BridgeError('SOAP_UNKNOWN_OPERATION', `no operation of this API matches ${what}`);
  }
}

/**
 * The element a document-style request's Body starts with: the first body part's (several parts
 * are not WS-I, but real WSDLs have them), '' for none, null when parts are typed (not elements).
 */
function firstBodyElement(op: Operation): string | null {
  const body = op.input?.body;
  if (!body || body.length === 0) return op.input ? '' : null;
  return body[0]!.element ?? null;
}
