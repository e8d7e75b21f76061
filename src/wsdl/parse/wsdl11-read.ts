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

const WSDL_REQUIRED = `{${NS.wsdl}}required`;

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
  for (let i = 0; i < defs.children.length; i++) {
    const c = defs.children[i];
    if (c.ns !== NS.wsdl) {
      if (c.attrs[WSDL_REQUIRED] === 'true') unsupported.push({ construct: `required extension {${c.ns}}${c.local}`, where: `${file}:${c.line}` });
      continue;
    }
    const name = qn(tns, c.attrs.name ?? '');
    if (c.local === 'message' && !into.messages.has(name)) into.messages.set(name, { value: readMessage(file, c, name), file, el: c });
    else if (c.local === 'portType' && !into.portTypes.has(name)) into.portTypes.set(name, { value: readPortType(file, c, name), file, el: c });
    else if (c.local === 'binding' && !into.bindings.has(name)) into.bindings.set(name, { value: readBinding(file, c, name, unsupported), file, el: c });
    else if (c.local === 'service') into.services.push({ value: readService(file, c, name, unsupported), file, el: c });
  }
}

// The readers below run once per message, operation and binding of documents with thousands of
// them, mostly before V8 has optimised anything: indexed loops (an unoptimised for…of allocates an
// iterator result per step), module-level helpers, no per-call closures or filter/map chains.
// The schema compiler (../xsd) and the linker are written the same way for the same reason.

function readMessage(file: string, el: XmlElement, name: QName): Message {
  const parts: Message['parts'] = [];
  for (let i = 0; i < el.children.length; i++) {
    const p = el.children[i];
    if (p.ns !== NS.wsdl || p.local !== 'part') continue;
    const element = p.attrs.element;
    parts.push({
      name: p.attrs.name ?? '',
      element: element !== undefined ? wsdlRef(file, p, 'element') : null,
      type: element === undefined && p.attrs.type !== undefined ? wsdlRef(file, p, 'type') : null,
    });
  }
  return { name, parts };
}

function readPortType(file: string, el: XmlElement, name: QName): PortType {
  const operations: PortTypeOperation[] = [];
  for (let i = 0; i < el.children.length; i++) {
    const op = el.children[i];
    if (op.ns !== NS.wsdl || op.local !== 'operation') continue;
    let inputEl: XmlElement | undefined;
    let outputEl: XmlElement | undefined;
    let outputFirst = false;
    let faultEls: XmlElement[] | undefined;
    for (let j = 0; j < op.children.length; j++) {
      const c = op.children[j];
      if (c.ns !== NS.wsdl) continue;
      if (c.local === 'input') {
        inputEl ??= c;
      } else if (c.local === 'output') {
        if (inputEl === undefined && outputEl === undefined) outputFirst = true;
        outputEl ??= c;
      } else if (c.local === 'fault') (faultEls ??= []).push(c);
    }
    const input = inputEl === undefined ? null : portTypeMessage(file, inputEl);
    const output = outputEl === undefined ? null : portTypeMessage(file, outputEl);
    const pattern = input && output ? (outputFirst ? 'solicit-response' : 'request-response') : input ? 'one-way' : 'notification';
    const faults: PortTypeOperation['faults'] = [];
    if (faultEls !== undefined) {
      for (let j = 0; j < faultEls.length; j++) faults.push({ name: faultEls[j].attrs.name ?? '', message: wsdlRef(file, faultEls[j], 'message') });
    }
    operations.push({
      name: op.attrs.name ?? '',
      pattern,
      input,
      output,
      faults,
      parameterOrder: op.attrs.parameterOrder ? op.attrs.parameterOrder.split(/\s+/).filter(Boolean) : null,
    });
  }
  return { name, operations };
}

function portTypeMessage(file: string, c: XmlElement): PortTypeOperation['input'] {
  return { name: c.attrs.name ?? null, message: wsdlRef(file, c, 'message') };
}

function isSoap(ns: string): boolean {
  return ns === NS.soap11 || ns === NS.soap12;
}

function readBinding(file: string, el: XmlElement, name: QName, unsupported: Unsupported[]): Binding {
  const b: Binding = { name, portType: wsdlRef(file, el, 'type'), protocol: 'other', soapVersion: null, style: 'document', transport: null, operations: [] };
  for (let i = 0; i < el.children.length; i++) {
    const c = el.children[i];
    if (c.local !== 'binding' || c.ns === NS.wsdl) continue;
    if (isSoap(c.ns)) {
      b.protocol = 'soap';
      b.soapVersion = c.ns === NS.soap12 ? '1.2' : '1.1';
      b.style = c.attrs.style === 'rpc' ? 'rpc' : 'document';
      b.transport = c.attrs.transport ?? null;
    } else if (c.ns === NS.http) {
      b.protocol = 'http';
      b.httpVerb = (c.attrs.verb ?? 'GET').toUpperCase();
    } else {
      unsupported.push({ construct: `non-SOAP binding {${c.ns}}binding`, where: `${file}:${c.line} <binding name="${el.attrs.name ?? ''}">` });
    }
  }
  for (let i = 0; i < el.children.length; i++) {
    const op = el.children[i];
    if (op.ns === NS.wsdl && op.local === 'operation') b.operations.push(readBindingOperation(file, op, b, unsupported));
  }
  return b;
}

function readBindingOperation(file: string, op: XmlElement, b: Binding, unsupported: Unsupported[]): BindingOperation {
  let soapOp: XmlElement | undefined;
  let inputEl: XmlElement | undefined;
  let outputEl: XmlElement | undefined;
  let faultEls: XmlElement[] | undefined;
  let httpLocation: string | undefined;
  for (let i = 0; i < op.children.length; i++) {
    const c = op.children[i];
    if (c.ns === NS.wsdl) {
      if (c.local === 'input') inputEl ??= c;
      else if (c.local === 'output') outputEl ??= c;
      else if (c.local === 'fault') (faultEls ??= []).push(c);
    } else if (c.local === 'operation' && isSoap(c.ns)) soapOp ??= c;
    else if (c.local === 'operation' && c.ns === NS.http && c.attrs.location !== undefined) httpLocation = c.attrs.location;
  }
  const soapStyle = soapOp?.attrs.style;
  const style: Style = soapStyle === 'rpc' ? 'rpc' : soapStyle === 'document' ? 'document' : b.style;
  const name = op.attrs.name ?? '';
  const soapAction = soapOp?.attrs.soapAction ?? '';
  const input = inputEl === undefined ? null : readBindingMessage(file, inputEl, unsupported);
  const output = outputEl === undefined ? null : readBindingMessage(file, outputEl, unsupported);
  const faults: BindingOperation['faults'] = [];
  if (faultEls !== undefined) {
    for (let j = 0; j < faultEls.length; j++) {
      const f = faultEls[j];
      let sf: XmlElement | undefined;
      for (let k = 0; k < f.children.length; k++) {
        const c = f.children[k];
        if (c.local === 'fault' && isSoap(c.ns)) {
          sf = c;
          break;
        }
      }
      faults.push({ name: f.attrs.name ?? sf?.attrs.name ?? '', use: useOf(sf?.attrs.use), namespace: sf?.attrs.namespace ?? null });
    }
  }
  return httpLocation === undefined ? { name, soapAction, style, input, output, faults } : { name, soapAction, style, input, output, faults, httpLocation };
}

function useOf(v: string | undefined): Use {
  return v === 'encoded' ? 'encoded' : 'literal';
}

function readBindingMessage(file: string, io: XmlElement, unsupported: Unsupported[]): BindingMessage {
  const m: BindingMessage = { use: 'literal', namespace: null, encodingStyle: null, parts: null, headers: [], mime: false };
  visitBindingMessage(file, io, m, unsupported);
  return m;
}

function visitBindingMessage(file: string, el: XmlElement, m: BindingMessage, unsupported: Unsupported[]): void {
  for (let i = 0; i < el.children.length; i++) {
    const c = el.children[i];
    if (isSoap(c.ns)) {
      if (c.local === 'body') {
        m.use = useOf(c.attrs.use);
        m.namespace = c.attrs.namespace ?? null;
        m.encodingStyle = c.attrs.encodingStyle ?? null;
        if (c.attrs.parts !== undefined) m.parts = c.attrs.parts.split(/\s+/).filter(Boolean);
      } else if (c.local === 'header') {
        m.headers.push({ message: wsdlRef(file, c, 'message'), part: c.attrs.part ?? '', use: useOf(c.attrs.use), namespace: c.attrs.namespace ?? null });
      }
    } else if (c.ns === NS.mime && c.local === 'multipartRelated') {
      m.mime = true;
      unsupported.push({ construct: 'mime:multipartRelated (SOAP with attachments): only the SOAP part is modelled', where: `${file}:${c.line}` });
      for (let j = 0; j < c.children.length; j++) {
        const part = c.children[j];
        if (part.ns === NS.mime && part.local === 'part') visitBindingMessage(file, part, m, unsupported);
      }
    }
  }
}

function readService(file: string, el: XmlElement, name: QName, unsupported: Unsupported[]): Service {
  const ports = el.children
    .filter((c) => c.ns === NS.wsdl && c.local === 'port')
    .map((p) => {
      const addr = p.children.find((c) => c.local === 'address' && (isSoap(c.ns) || c.ns === NS.http));
      if (p.attrs.binding === undefined) unsupported.push({ construct: 'port without a binding attribute', where: `${file}:${p.line} <port name="${p.attrs.name ?? ''}">` });
      return {
        name: p.attrs.name ?? '',
        binding: p.attrs.binding === undefined ? null : wsdlRef(file, p, 'binding'),
        address: addr?.attrs.location ?? null,
        protocol: addr ? (addr.ns === NS.http ? ('http' as const) : ('soap' as const)) : null,
        soapVersion: addr && isSoap(addr.ns) ? (addr.ns === NS.soap12 ? ('1.2' as const) : ('1.1' as const)) : null,
      };
    });
  return { name, ports };
}
