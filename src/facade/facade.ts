import { BridgeError } from '../errors/bridge-error';
import type { Operation, SoapVersion, WsdlModel } from '../wsdl/model';
import { toEnvelope } from './envelope-writer';
import { fromEnvelope } from './envelope-reader';
import { compileFlatWriter, type FlatWriter } from './flat-writer';
import type { FaultStatusMap } from './fault';
import { isJsonObject } from './json';
import type { WriteLimits } from './json-to-xml';
import { messageShape, type MessageShape } from './message-shape';
import { fromQuery, simpleMembers } from './query-input';
import { SchemaView } from './schema-view';

export { generalEnvelope } from './envelope-writer';
export { readMessage, requestToJson } from './envelope-reader';

export interface FacadeOptions {
  /** HTTP status of backend faults: client (1.1 Client, 1.2 Sender) default 400, others default 502. */
  faultStatus?: { client?: number; server?: number };
  /** Longest JSON array accepted in a request (default 10000). */
  maxArrayItems?: number;
  /** Deepest element nesting accepted in a request (default 64). */
  maxDepth?: number;
  /** Serve the operations of this WSDL port (default: the first SOAP port, then any other). */
  port?: string;
}

export interface FacadeResponse {
  status: number;
  body: unknown;
  /** True when `body` is application/problem+json (a backend Fault). */
  problem: boolean;
}

export interface FacadeOperation {
  /** The operation's key (Operation.key): the WSDL operation name (`Add`), qualified by its portType where several share it. */
  readonly name: string;
  /** Path segment: the name with its first letter lower-cased (`add`), as WSO2 generates it. */
  readonly segment: string;
  readonly soapVersion: SoapVersion;
  readonly soapAction: string;
  /** Content-Type (and SOAPAction for 1.1) the backend request needs. */
  readonly requestHeaders: Readonly<Record<string, string>>;
  /**
   * The backend request's headers for an envelope of `length` bytes: `requestHeaders` plus
   * content-length and accept, as a fresh object of one fixed shape per operation.
   */
  backendHeaders(length: number): Record<string, string>;
  /** One-way operation: no output message. */
  readonly oneWay: boolean;
  /** Every input member is a simple type (or an array of one): the operation also answers GET. */
  readonly allowsGet: boolean;
  /** Request/response JSON shapes (for OpenAPI and samples). */
  readonly input: MessageShape | null;
  readonly output: MessageShape | null;
  readonly operation: Operation;
  /** Parsed JSON → SOAP envelope text; throws BridgeError REQUEST_INVALID (400) naming the JSON path. */
  toEnvelope(input: unknown): string;
  /** Query parameters → the input object (values typed from the schema); feed it to toEnvelope. */
  fromQuery(q: Record<string, string | string[]>): unknown;
  /** Backend response → JSON; a Fault → problem+json with the mapped status; throws BACKEND_RESPONSE_INVALID (502). */
  fromEnvelope(xml: string, httpStatus: number): FacadeResponse;
}

export interface Facade {
  readonly view: SchemaView;
  find(segment: string): FacadeOperation | undefined;
  operations(): FacadeOperation[];
}

/** What the facade accepts from a backend. */
const ACCEPT = 'text/xml, application/soap+xml';

export function segmentOf(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * Builds the REST facade of a WSDL: one JSON operation per WSDL operation of the served port.
 *
 * @example
 *   const facade = buildFacade(await importCompiled('wsdl/Calculator.wsdl'), {});
 *   const add = facade.find('add')!;
 *   const xml = add.toEnvelope({ intA: 1, intB: 2 });   // POST this with add.requestHeaders
 *   add.fromEnvelope(backendXml, 200);                  // → { status: 200, body: { AddResult: 3 }, problem: false }
 */
export function buildFacade(model: WsdlModel, opts: FacadeOptions = {}): Facade {
  const view = new SchemaView(model.schema);
  const limits: WriteLimits = { maxArrayItems: opts.maxArrayItems ?? 10_000, maxDepth: opts.maxDepth ?? 64 };
  const statuses: FaultStatusMap = { client: opts.faultStatus?.client ?? 400, server: opts.faultStatus?.server ?? 502 };
  const rows = pickRows(model.operations, opts.port);
  const bySegment = new Map<string, FacadeOperation>();
  for (const op of rows) {
    const segment = segmentOf(op.key);
    if (bySegment.has(segment)) continue;
    bySegment.set(segment, makeOperation(view, op, segment, limits, statuses));
  }
  const list = [...bySegment.values()];
  return { view, find: (s) => bySegment.get(s), operations: () => list };
}

/** Rows of the chosen port first (SOAP 1.1 ports before 1.2), then anything else. */
function pickRows(ops: Operation[], port: string | undefined): Operation[] {
  const named = port === undefined ? [] : ops.filter((o) => o.port === port);
  if (port !== undefined && named.length === 0) throw new BridgeError('INTERNAL_ERROR', `the WSDL has no SOAP port "${port}"`);
  const rank = (o: Operation): number => (o.service === null ? 2 : 0) + (o.soapVersion === '1.1' ? 0 : 1);
  const rest = ops.filter((o) => !named.includes(o)).sort((a, b) => rank(a) - rank(b));
  return [...named, ...rest];
}

function makeOperation(view: SchemaView, op: Operation, segment: string, limits: WriteLimits, statuses: FaultStatusMap): FacadeOperation {
  let input: MessageShape | null | undefined;
  let output: MessageShape | null | undefined;
  const inShape = (): MessageShape | null => (input === undefined ? (input = messageShape(view, op, op.input, 'input')) : input);
  const outShape = (): MessageShape | null => (output === undefined ? (output = messageShape(view, op, op.output, 'output')) : output);
  const requestHeaders: Record<string, string> =
    op.soapVersion === '1.2'
      ? { 'content-type': `application/soap+xml; charset=utf-8${op.soapAction ? `; action="${op.soapAction}"` : ''}` }
      : { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${op.soapAction}"` };
  const contentType = requestHeaders['content-type'] as string;
  const soapAction = requestHeaders.soapaction;
  const backendHeaders =
    soapAction === undefined
      ? (length: number): Record<string, string> => ({ 'content-type': contentType, 'content-length': String(length), accept: ACCEPT })
      : (length: number): Record<string, string> => ({ 'content-type': contentType, soapaction: soapAction, 'content-length': String(length), accept: ACCEPT });
  let allowsGet: boolean | undefined;
  let flat: FlatWriter | null | undefined;
  const flatWriter = (): FlatWriter | null => (flat === undefined ? (flat = compileFlatWriter(op, inShape(), limits.maxDepth)) : flat);
  return {
    name: op.key,
    segment,
    soapVersion: op.soapVersion,
    soapAction: op.soapAction,
    requestHeaders,
    backendHeaders,
    oneWay: op.output === null,
    operation: op,
    get input() {
      return inShape();
    },
    get output() {
      return outShape();
    },
    get allowsGet() {
      return (allowsGet ??= simpleMembers(inShape()) !== null);
    },
    toEnvelope: (json) => (isJsonObject(json) ? flatWriter()?.(json) : null) ?? toEnvelope(view, op, inShape(), json, limits),
    fromQuery: (q) => fromQuery(inShape(), q),
    fromEnvelope: (xml, status) => fromEnvelope(view, op, outShape(), xml, status, statuses),
  };
}
