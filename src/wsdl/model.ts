/**
 * The compiled, typed view of a WSDL bundle. Plain JSON data only (no classes, no Maps, no
 * undefined-vs-missing tricks that JSON would lose), so `importCompiled` can cache it as JSON.
 *
 * Conventions:
 * - Every QName is a Clark string `{namespace}local` (see qname.ts; split at the last `}`).
 * - `maxOccurs="unbounded"` is `-1`.
 * - `where` strings are `file:line <element name="…">`, enough to find the source.
 * - Anything the importer could not understand is listed in `unsupported`, never dropped silently.
 */
import type { QName } from './qname';

export type { QName } from './qname';

export const MODEL_FORMAT_VERSION = 5;

export type SoapVersion = '1.1' | '1.2';
export type BindingProtocol = 'soap' | 'http' | 'other';
export type Style = 'rpc' | 'document';
export type Use = 'literal' | 'encoded';

export interface WsdlModel {
  formatVersion: number;
  /**
   * '2.0' for a WSDL 2.0 `<description>`: its interfaces are `portTypes`, its endpoints `ports`,
   * and each interface message reference (input/output/fault element) is a synthesized
   * `messages` entry `{tns}Interface_operation_In|Out` / `Interface_fault_Fault` whose single part
   * is named after the element (no part for `#none`/`#any`).
   */
  wsdlVersion: '1.1' | '2.0';
  /** Bundle-relative path of the entry document. */
  entry: string;
  targetNamespace: string;
  services: Service[];
  bindings: Binding[];
  portTypes: PortType[];
  messages: Message[];
  /** One row per (port, binding operation) of every SOAP port; bindings no port uses appear with service/port null. */
  operations: Operation[];
  schema: SchemaSet;
  unsupported: Unsupported[];
}

export interface Unsupported {
  construct: string;
  where: string;
}

export interface Service {
  name: QName;
  ports: Port[];
}

export interface Port {
  name: string;
  /** null for a port without a binding attribute (a fragment). */
  binding: QName | null;
  address: string | null;
  protocol: BindingProtocol | null;
  soapVersion: SoapVersion | null;
}

export interface Binding {
  name: QName;
  portType: QName;
  protocol: BindingProtocol;
  soapVersion: SoapVersion | null;
  /** Binding-level default style (operations may override). */
  style: Style;
  transport: string | null;
  /** HTTP bindings (`http:binding/@verb`): GET or POST; absent on SOAP bindings. */
  httpVerb?: string;
  operations: BindingOperation[];
}

export interface BindingOperation {
  name: string;
  soapAction: string;
  style: Style;
  input: BindingMessage | null;
  output: BindingMessage | null;
  faults: { name: string; use: Use; namespace: string | null }[];
  /** HTTP bindings: `http:operation/@location`, relative to the port's http:address (`/GetWeather`). */
  httpLocation?: string;
}

export interface BindingMessage {
  use: Use;
  /** rpc: namespace of the wrapper element (soap:body/@namespace). */
  namespace: string | null;
  encodingStyle: string | null;
  /** soap:body/@parts; null means all parts not bound to headers. */
  parts: string[] | null;
  headers: HeaderBinding[];
  /** Bound through mime:multipartRelated (SOAP with attachments). */
  mime: boolean;
}

export interface HeaderBinding {
  message: QName;
  part: string;
  use: Use;
  namespace: string | null;
}

export type MessagePattern = 'request-response' | 'one-way' | 'notification' | 'solicit-response';

export interface PortType {
  name: QName;
  operations: PortTypeOperation[];
}

export interface PortTypeOperation {
  name: string;
  pattern: MessagePattern;
  input: { name: string | null; message: QName } | null;
  output: { name: string | null; message: QName } | null;
  faults: { name: string; message: QName }[];
  parameterOrder: string[] | null;
}

export interface Message {
  name: QName;
  parts: Part[];
}

/** Exactly one of element/type is set (WSDL 1.1 part). */
export interface Part {
  name: string;
  element: QName | null;
  type: QName | null;
}

export interface Operation {
  service: QName | null;
  port: string | null;
  address: string | null;
  binding: QName;
  name: string;
  /**
   * The operation's name within the API, unique in the WSDL: `name`, or `PortType.name` where
   * operations of several portTypes share the name (Travelport calls every one "service"). Rows
   * of one portType operation bound twice (SOAP 1.1 and 1.2) share it. Metrics, rules,
   * prototypes, the `operations:` config and the REST facade's path use it.
   */
  key: string;
  soapAction: string;
  soapVersion: SoapVersion;
  style: Style;
  use: Use;
  pattern: MessagePattern;
  /** document/literal with one body part whose element is named like the operation (JAX-WS/.NET wrapper). */
  wrapped: boolean;
  /** document style with exactly one element body part: that element. */
  inputElement: QName | null;
  outputElement: QName | null;
  input: OperationMessage | null;
  output: OperationMessage | null;
  faults: { name: string; message: QName; parts: Part[] }[];
  /**
   * WSDL 2.0 only: the interface operation's `wsdlx:safe` (true: no obligation for the caller,
   * e.g. a query). Absent in WSDL 1.1 models, which have no such marker.
   */
  safe?: boolean;
}

export interface OperationMessage {
  message: QName;
  /** Parts in the SOAP body, in order (rpc: the wrapper's children). */
  body: Part[];
  /** rpc wrapper element namespace (soap:body/@namespace, else the definitions' targetNamespace). */
  namespace: string | null;
  headers: (Part & { message: QName })[];
}

export * from './xsd/schema-model';
import type { SchemaSet } from './xsd/schema-model';
