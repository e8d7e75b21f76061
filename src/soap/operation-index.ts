import type { Operation, WsdlModel } from '../wsdl/model';
import type { SoapVersion } from '../errors/to-soap-fault';
import { BridgeError } from '../errors/bridge-error';
import { qnLocal } from '../wsdl/qname';

/**
 * Finds the WSDL operation of an incoming envelope: by action first (SOAPAction / action=),
 * else by the Clark name of the Body's first element (document: the part's element; rpc: the
 * wrapper named after the operation in soap:body/@namespace).
 *
 * Some services give every operation the same action (SoftLayer, UPS Ship): an action shared by
 * several operations only narrows the choice, and the Body's element picks among them.
 */
export class OperationIndex {
  private readonly byAction = new Map<string, Operation[]>();
  private readonly byElement = new Map<string, Operation[]>();
  readonly operations: readonly Operation[];

  constructor(model: WsdlModel) {
    // One row per operation name and SOAP version is enough: ports of one binding agree.
    const seen = new Set<string>();
    const ops: Operation[] = [];
    for (const op of model.operations) {
      const key = `${op.soapVersion}|${op.name}|${op.binding}`;
      if (seen.has(key)) continue;
      seen.add(key);
      ops.push(op);
      if (op.soapAction) this.put(this.byAction, `${op.soapVersion}|${op.soapAction}`, op);
      const el = op.style === 'rpc' ? `{${op.input?.namespace ?? ''}}${op.name}` : op.inputElement;
      if (el) this.put(this.byElement, `${op.soapVersion}|${el}`, op);
    }
    this.operations = ops;
  }

  private put(map: Map<string, Operation[]>, key: string, op: Operation): void {
    const list = map.get(key);
    if (!list) map.set(key, [op]);
    else if (!list.some((o) => o.name === op.name)) list.push(op);
  }

  /** The operation, or SOAP_UNKNOWN_OPERATION naming what was looked for. */
  resolve(version: SoapVersion, action: string, element: string | null): Operation {
    const other: SoapVersion = version === '1.1' ? '1.2' : '1.1';
    const byAction = action ? (this.byAction.get(`${version}|${action}`) ?? this.byAction.get(`${other}|${action}`)) : undefined;
    if (byAction?.length === 1) return byAction[0]!;
    const byElement = element ? (this.byElement.get(`${version}|${element}`) ?? this.byElement.get(`${other}|${element}`)) : undefined;
    // A shared action: the operation among them whose input the Body carries, else the first.
    const op = (byAction && byElement?.find((o) => byAction.includes(o))) ?? byAction?.[0] ?? byElement?.[0];
    if (op) return op;
    const what = [action ? `action "${action}"` : '', element ? `body element <${qnLocal(element)}> in namespace "${element.slice(1, element.lastIndexOf('}'))}"` : 'an empty Body']
      .filter(Boolean)
      .join(' and ');
    throw new BridgeError('SOAP_UNKNOWN_OPERATION', `no operation of this API matches ${what}`);
  }

  /** Operation names, deduplicated (for messages and metrics). */
  names(): string[] {
    return [...new Set(this.operations.map((o) => o.name))];
  }
}
