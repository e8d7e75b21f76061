import { WsdlImportError } from '../errors';
import type { Binding, BindingMessage, BindingOperation, Message, PortType, PortTypeOperation, Service, Style, Unsupported, Use } from '../model';
import { NS, qn, type QName } from '../qname';
import { resolvePrefixed, type XmlElement } from '../xml/parse-xml';

/** A WSDL 1.1 component with the file it came from, for error messages. */
export interface Located<T> {
  value: T;
  file: string;
  el: XmlElement;
}

export interface Wsdl11Parts {
  messages: Map<QName, Located<Message>>;
  portTypes: Map<QName, Located<PortType>>;
  bindings: Map<QName, Located<Binding>>;
  services: Located<Service>[];
}

const SOAP_NS = new Set<string>([NS.soap11, NS.soap12]);

/** Resolves a QName attribute of a WSDL element, or fails naming the file and the value. */
export function wsdlRef(file: string, el: XmlElement, attr: string): QName {
  const raw = el.attrs[attr];
  if (raw === undefined) throw new WsdlImportError(file, `<${el.local}${el.attrs.name ? ` name="${el.attrs.name}"` : ''}> lacks the ${attr} attribute`);
  const r = resolvePrefixed(el, raw);
  if ('error' in r) throw new WsdlImportError(file, `<${el.local}${el.attrs.name ? ` name="${el.attrs.name}"` : ''}> ${attr}="${raw}": ${r.error}`);
  return qn(r.ns, r.local);
}

export function readDefinitions(file: string, defs: XmlElement, into: Wsdl11Parts, unsupported: Unsupported[]): void {
  const tns = defs.attrs.targetNamespace ?? '';
  for (const c of defs.children) {
    if (c.ns !== NS.wsdl) {
      if (c.attrs[`{${NS.wsdl}}required`] === 'true') unsupported.push({ construct: `required extension {${c.ns}}${c.local}`, where: `${file}:${c.line}` });
      continue;
    }
    const name = qn(tns, c.attrs.name ?? '');
    if (c.local === 'message' && !into.messages.has(name)) into.messages.set(name, { value: readMessage(file, c, name), file, el: c });
    else if (c.local === 'portType' && !into.portTypes.has(name)) into.portTypes.set(name, { value: readPortType(file, c, name), file, el: c });
    else if (c.local === 'binding' && !into.bindings.has(name)) into.bindings.set(name, { value: readBinding(file, c, name, unsupported), file, el: c });
    else if (c.local === 'service') into.services.push({ value: readService(file, c, name, unsupported), file, el: c });
  }
}

function readMessage(file: string, el: XmlElement, name: QName): Message {
  const parts = el.children
    .filter((c) => c.ns === NS.wsdl && c.local === 'part')
    .map((p) => ({
      name: p.attrs.name ?? '',
      element: p.attrs.element !== undefined ? wsdlRef(file, p, 'element') : null,
      type: p.attrs.element === undefined && p.attrs.type !== undefined ? wsdlRef(file, p, 'type') : null,
    }));
  return { name, parts };
}

function readPortType(file: string, el: XmlElement, name: QName): PortType {
  const operations: PortTypeOperation[] = [];
  for (const op of el.children) {
    if (op.ns !== NS.wsdl || op.local !== 'operation') continue;
    const ios = op.children.filter((c) => c.ns === NS.wsdl && (c.local === 'input' || c.local === 'output'));
    const io = (local: string): PortTypeOperation['input'] => {
      const c = ios.find((x) => x.local === local);
      return c ? { name: c.attrs.name ?? null, message: wsdlRef(file, c, 'message') } : null;
    };
    const input = io('input');
    const output = io('output');
    const outputFirst = ios[0]?.local === 'output';
    const pattern = input && output ? (outputFirst ? 'solicit-response' : 'request-response') : input ? 'one-way' : 'notification';
    operations.push({
      name: op.attrs.name ?? '',
      pattern,
      input,
      output,
      faults: op.children.filter((c) => c.ns === NS.wsdl && c.local === 'fault').map((f) => ({ name: f.attrs.name ?? '', message: wsdlRef(file, f, 'message') })),
      parameterOrder: op.attrs.parameterOrder ? op.attrs.parameterOrder.split(/\s+/).filter(Boolean) : null,
    });
  }
  return { name, operations };
}

function readBinding(file: string, el: XmlElement, name: QName, unsupported: Unsupported[]): Binding {
  const b: Binding = { name, portType: wsdlRef(file, el, 'type'), protocol: 'other', soapVersion: null, style: 'document', transport: null, operations: [] };
  for (const c of el.children) {
    if (c.local !== 'binding' || c.ns === NS.wsdl) continue;
    if (SOAP_NS.has(c.ns)) {
      b.protocol = 'soap';
      b.soapVersion = c.ns === NS.soap12 ? '1.2' : '1.1';
      b.style = c.attrs.style === 'rpc' ? 'rpc' : 'document';
      b.transport = c.attrs.transport ?? null;
    } else if (c.ns === NS.http) {
      b.protocol = 'http';
    } else {
      unsupported.push({ construct: `non-SOAP binding {${c.ns}}binding`, where: `${file}:${c.line} <binding name="${el.attrs.name ?? ''}">` });
    }
  }
  for (const op of el.children) {
    if (op.ns === NS.wsdl && op.local === 'operation') b.operations.push(readBindingOperation(file, op, b, unsupported));
  }
  return b;
}

function readBindingOperation(file: string, op: XmlElement, b: Binding, unsupported: Unsupported[]): BindingOperation {
  const soapOp = op.children.find((c) => SOAP_NS.has(c.ns) && c.local === 'operation');
  const style: Style = soapOp?.attrs.style === 'rpc' ? 'rpc' : soapOp?.attrs.style === 'document' ? 'document' : b.style;
  const message = (local: string): BindingMessage | null => {
    const io = op.children.find((c) => c.ns === NS.wsdl && c.local === local);
    return io ? readBindingMessage(file, io, unsupported) : null;
  };
  return {
    name: op.attrs.name ?? '',
    soapAction: soapOp?.attrs.soapAction ?? '',
    style,
    input: message('input'),
    output: message('output'),
    faults: op.children
      .filter((c) => c.ns === NS.wsdl && c.local === 'fault')
      .map((f) => {
        const sf = f.children.find((c) => SOAP_NS.has(c.ns) && c.local === 'fault');
        return { name: f.attrs.name ?? sf?.attrs.name ?? '', use: useOf(sf?.attrs.use), namespace: sf?.attrs.namespace ?? null };
      }),
  };
}

function useOf(v: string | undefined): Use {
  return v === 'encoded' ? 'encoded' : 'literal';
}

function readBindingMessage(file: string, io: XmlElement, unsupported: Unsupported[]): BindingMessage {
  const m: BindingMessage = { use: 'literal', namespace: null, encodingStyle: null, parts: null, headers: [], mime: false };
  const visit = (el: XmlElement): void => {
    for (const c of el.children) {
      if (SOAP_NS.has(c.ns) && c.local === 'body') {
        m.use = useOf(c.attrs.use);
        m.namespace = c.attrs.namespace ?? null;
        m.encodingStyle = c.attrs.encodingStyle ?? null;
        if (c.attrs.parts !== undefined) m.parts = c.attrs.parts.split(/\s+/).filter(Boolean);
      } else if (SOAP_NS.has(c.ns) && c.local === 'header') {
        m.headers.push({ message: wsdlRef(file, c, 'message'), part: c.attrs.part ?? '', use: useOf(c.attrs.use), namespace: c.attrs.namespace ?? null });
      } else if (c.ns === NS.mime && c.local === 'multipartRelated') {
        m.mime = true;
        unsupported.push({ construct: 'mime:multipartRelated (SOAP with attachments): only the SOAP part is modelled', where: `${file}:${c.line}` });
        for (const part of c.children) if (part.ns === NS.mime && part.local === 'part') visit(part);
      }
    }
  };
  visit(io);
  return m;
}

function readService(file: string, el: XmlElement, name: QName, unsupported: Unsupported[]): Service {
  const ports = el.children
    .filter((c) => c.ns === NS.wsdl && c.local === 'port')
    .map((p) => {
      const addr = p.children.find((c) => c.local === 'address' && (SOAP_NS.has(c.ns) || c.ns === NS.http));
      if (p.attrs.binding === undefined) unsupported.push({ construct: 'port without a binding attribute', where: `${file}:${p.line} <port name="${p.attrs.name ?? ''}">` });
      return {
        name: p.attrs.name ?? '',
        binding: p.attrs.binding === undefined ? null : wsdlRef(file, p, 'binding'),
        address: addr?.attrs.location ?? null,
        protocol: addr ? (addr.ns === NS.http ? ('http' as const) : ('soap' as const)) : null,
        soapVersion: addr && SOAP_NS.has(addr.ns) ? (addr.ns === NS.soap12 ? ('1.2' as const) : ('1.1' as const)) : null,
      };
    });
  return { name, ports };
}
