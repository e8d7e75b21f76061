import { WsdlImportError } from '../errors';
import type { Binding, BindingMessage, Message, Operation, OperationMessage, Part, PortType, Style, Unsupported, WsdlModel } from '../model';
import { qnLocal, qnNs, type QName } from '../qname';
import type { RefKind } from '../xsd/schema-context';
import type { Located, Wsdl11Parts } from './wsdl11-read';

/** Checks a message part's element/type against the compiled schemas. */
export type PartChecker = (kind: RefKind, name: QName) => boolean;

function show(q: QName): string {
  return q.startsWith('{}') ? q.slice(2) : q;
}

export interface LinkContext {
  partExists: PartChecker;
  /** True when some schema of the bundle has this target namespace. */
  hasSchemaFor: (ns: string) => boolean;
  /** Appended to errors, e.g. the list of imports that were not found. */
  hint: string;
  unsupported: Unsupported[];
}

/**
 * Finds a WSDL component by QName. Real WSDLs sometimes qualify a reference with the wrong
 * prefix (an imported document's prefix reused for another namespace, or a default namespace
 * that is the WSDL namespace); when the exact name is missing but exactly one component has that
 * local name, we take it and say so in `unsupported`, as node-soap and zeep do.
 */
function lookup<T>(map: Map<QName, T>, q: QName, ctx: LinkContext, where: () => string): { name: QName; value: T } | undefined {
  const exact = map.get(q);
  if (exact) return { name: q, value: exact };
  const local = qnLocal(q);
  const candidates = [...map.keys()].filter((k) => qnLocal(k) === local);
  if (candidates.length !== 1) return undefined;
  const name = candidates[0] as QName;
  ctx.unsupported.push({ construct: `reference ${q} resolved by local name to ${name}`, where: where() });
  return { name, value: map.get(name) as T };
}

/**
 * The message `q` names. `what` describes the referrer for messages; it is a function so the hot
 * path (every reference resolves) builds no strings.
 */
function message(parts: Wsdl11Parts, ctx: LinkContext, file: string, q: QName, what: () => string, optional = false): Message | undefined {
  const exact = parts.messages.get(q);
  if (exact) return exact.value;
  const m = lookup(parts.messages, q, ctx, () => `${file} ${what()}`);
  if (!m && optional) {
    ctx.unsupported.push({ construct: `${what()} references unknown message "${show(q)}" (ignored)`, where: file });
    return undefined;
  }
  if (!m) throw new WsdlImportError(file, `${what()} references unknown message "${show(q)}"${ctx.hint}`);
  return m.value.value;
}

/**
 * Cross-checks WSDL 1.1 references (port → binding → portType → message → part → schema) and
 * fails on the first dangling one: a service description with a broken chain cannot be served,
 * and the user needs the file and the name to fix it. A part whose element/type is missing from
 * a namespace that does have a schema is tolerated (listed as unsupported); a part pointing into
 * a namespace no schema defines means types are missing wholesale, which is an error.
 */
export function linkWsdl11(parts: Wsdl11Parts, ctx: LinkContext): void {
  const { hint } = ctx;
  for (const { value: m, file } of parts.messages.values()) {
    for (let j = 0; j < m.parts.length; j++) {
      const p = m.parts[j];
      const ref = p.element ?? p.type;
      if (ref === null) throw new WsdlImportError(file, `message "${qnLocal(m.name)}" part "${p.name}" has neither element nor type`);
      const kind = p.element ? 'element' : 'type';
      if (ctx.partExists(kind, ref)) continue;
      const problem = `message "${qnLocal(m.name)}" part "${p.name}" references unknown ${kind} "${show(ref)}"`;
      if (!ctx.hasSchemaFor(qnNs(ref))) throw new WsdlImportError(file, `${problem}: no schema in the bundle has namespace "${qnNs(ref)}"${hint}`);
      ctx.unsupported.push({ construct: problem, where: file });
    }
  }
  for (const { value: pt, file } of parts.portTypes.values()) {
    for (let j = 0; j < pt.operations.length; j++) {
      const op = pt.operations[j];
      const what = (): string => `portType "${qnLocal(pt.name)}" operation "${op.name}"`;
      if (op.input) op.input.message = (message(parts, ctx, file, op.input.message, what) as Message).name;
      if (op.output) op.output.message = (message(parts, ctx, file, op.output.message, what) as Message).name;
      // A fault that names no message only loses its detail typing; the operation still works.
      if (op.faults.length > 0) op.faults = op.faults.filter((f) => message(parts, ctx, file, f.message, () => `${what()} fault "${f.name}"`, true) !== undefined);
    }
  }
  for (const { value: b, file } of parts.bindings.values()) {
    const found = lookup(parts.portTypes, b.portType, ctx, () => `${file} binding "${qnLocal(b.name)}"`);
    if (!found) throw new WsdlImportError(file, `binding "${qnLocal(b.name)}" references unknown portType "${show(b.portType)}"${hint}`);
    b.portType = found.name;
    const pt = found.value;
    const byName = operationsByName(pt.value);
    for (let j = 0; j < b.operations.length; j++) {
      const op = b.operations[j];
      const pto = byName.get(op.name);
      if (!pto) throw new WsdlImportError(file, `binding "${qnLocal(b.name)}" operation "${op.name}" is not in portType "${qnLocal(pt.value.name)}"`);
      const what = (): string => `binding "${qnLocal(b.name)}" operation "${op.name}"`;
      for (let k = 0; k < 2; k++) {
        const io = k === 0 ? pto.input : pto.output;
        const bm = k === 0 ? op.input : op.output;
        if (!io || !bm) continue;
        const msg = message(parts, ctx, file, io.message, what) as Message;
        const named = bm.parts;
        if (named !== null) {
          for (let n = 0; n < named.length; n++) {
            const name = named[n];
            if (!hasPart(msg, name)) throw new WsdlImportError(file, `binding "${qnLocal(b.name)}" operation "${op.name}" soap:body names unknown part "${name}" of message "${qnLocal(msg.name)}"`);
          }
        }
        for (let n = 0; n < bm.headers.length; n++) {
          const h = bm.headers[n];
          const hm = message(parts, ctx, file, h.message, () => `${what()} soap:header`) as Message;
          h.message = hm.name;
          if (!hasPart(hm, h.part)) throw new WsdlImportError(file, `binding "${qnLocal(b.name)}" operation "${op.name}" soap:header names unknown part "${h.part}" of message "${qnLocal(hm.name)}"`);
        }
      }
    }
  }
  for (const { value: s, file } of parts.services) {
    for (let j = 0; j < s.ports.length; j++) {
      const port = s.ports[j];
      if (port.binding === null) continue;
      const found = lookup(parts.bindings, port.binding, ctx, () => `${file} port "${port.name}"`);
      if (!found) throw new WsdlImportError(file, `service "${qnLocal(s.name)}" port "${port.name}" references unknown binding "${show(port.binding)}"${hint}`);
      port.binding = found.name;
    }
  }
}

/** One row per (SOAP port, binding operation); SOAP bindings no port uses get rows with port null. */
export function flattenOperations(parts: Wsdl11Parts, tns: string, unsupported: Unsupported[]): Operation[] {
  const out: Operation[] = [];
  const used = new Set<QName>();
  for (const { value: s } of parts.services) {
    for (let j = 0; j < s.ports.length; j++) {
      const port = s.ports[j];
      const b = port.binding === null ? undefined : parts.bindings.get(port.binding);
      if (!b || b.value.protocol !== 'soap') continue;
      used.add(b.value.name);
      out.push(...bindingOperations(parts, b, s.name, port.name, port.address, tns, unsupported));
    }
  }
  for (const b of parts.bindings.values()) {
    if (b.value.protocol === 'soap' && !used.has(b.value.name)) out.push(...bindingOperations(parts, b, null, null, null, tns, unsupported));
  }
  qualifySharedNames(out, parts);
  return out;
}

/**
 * Operation names are unique within a portType only. Where several portTypes of the WSDL have an
 * operation of the same name (Travelport: one portType per service, each operation "service"),
 * the rows of each get the key `PortType.name`, so that identifying a request, its metrics and
 * the REST facade keep them apart; other rows keep their plain name as key.
 */
function qualifySharedNames(rows: Operation[], parts: Wsdl11Parts): void {
  const portTypeOf = (row: Operation): QName => (parts.bindings.get(row.binding) as Located<Binding>).value.portType;
  const portTypes = new Map<string, Set<QName>>();
  for (let i = 0; i < rows.length; i++) {
    const set = portTypes.get(rows[i].name);
    if (set) set.add(portTypeOf(rows[i]));
    else portTypes.set(rows[i].name, new Set([portTypeOf(rows[i])]));
  }
  for (let i = 0; i < rows.length; i++) {
    if ((portTypes.get(rows[i].name) as Set<QName>).size > 1) rows[i].key = `${qnLocal(portTypeOf(rows[i]))}.${rows[i].name}`;
  }
}

function bindingOperations(parts: Wsdl11Parts, lb: Located<Binding>, service: QName | null, port: string | null, address: string | null, tns: string, unsupported: Unsupported[]): Operation[] {
  const b = lb.value;
  const pt = parts.portTypes.get(b.portType)?.value as PortType;
  const rows: Operation[] = [];
  const byName = operationsByName(pt);
  for (let i = 0; i < b.operations.length; i++) {
    const op = b.operations[i];
    const pto = byName.get(op.name);
    if (!pto) continue;
    if (pto.pattern === 'notification' || pto.pattern === 'solicit-response') {
      if (port !== null || service === null) unsupported.push({ construct: `${pto.pattern} operation "${op.name}" (server-initiated; not served)`, where: `${lb.file} <binding name="${qnLocal(b.name)}">` });
      continue;
    }
    const input = ioMessage(parts, pto.input?.message, op.input, op.style, tns);
    const output = ioMessage(parts, pto.output?.message, op.output, op.style, tns);
    const use = op.input?.use ?? op.output?.use ?? 'literal';
    const inputElement = singleElement(op.style, input);
    rows.push({
      service,
      port,
      address,
      binding: b.name,
      name: op.name,
      key: op.name,
      soapAction: op.soapAction,
      soapVersion: b.soapVersion ?? '1.1',
      style: op.style,
      use,
      pattern: pto.pattern,
      wrapped: op.style === 'document' && use === 'literal' && inputElement !== null && qnLocal(inputElement) === op.name,
      inputElement,
      outputElement: singleElement(op.style, output),
      input,
      output,
      faults: operationFaults(parts, pto.faults),
    });
  }
  return rows;
}

function hasPart(m: Message, name: string): boolean {
  const list = m.parts;
  for (let i = 0; i < list.length; i++) if (list[i].name === name) return true;
  return false;
}

function messageOf(parts: Wsdl11Parts, q: QName | undefined): Message | undefined {
  return q === undefined ? undefined : parts.messages.get(q)?.value;
}

function ioMessage(parts: Wsdl11Parts, q: QName | undefined, bm: BindingMessage | null, style: Style, tns: string): OperationMessage | null {
  const m = messageOf(parts, q);
  if (!m || !bm) return m ? { message: m.name, body: m.parts, namespace: null, headers: [] } : null;
  const headers: OperationMessage['headers'] = [];
  for (let i = 0; i < bm.headers.length; i++) {
    const h = bm.headers[i];
    headers.push({ ...(messageOf(parts, h.message)?.parts.find((p) => p.name === h.part) as Part), message: h.message });
  }
  const body: Part[] = [];
  const named = bm.parts;
  for (let i = 0; i < m.parts.length; i++) {
    const p = m.parts[i];
    if (named ? named.includes(p.name) : !inHeader(bm, m.name, p.name)) body.push(p);
  }
  return { message: m.name, body, namespace: style === 'rpc' ? (bm.namespace ?? tns) : null, headers };
}

/** True when a soap:header of `bm` carries part `part` of message `message`. */
function inHeader(bm: BindingMessage, message: QName, part: string): boolean {
  for (let i = 0; i < bm.headers.length; i++) {
    const h = bm.headers[i];
    if (h.message === message && h.part === part) return true;
  }
  return false;
}

function singleElement(style: Style, m: OperationMessage | null): QName | null {
  return style === 'document' && m?.body.length === 1 ? (m.body[0]?.element ?? null) : null;
}

function operationFaults(parts: Wsdl11Parts, faults: PortType['operations'][number]['faults']): Operation['faults'] {
  const out: Operation['faults'] = [];
  for (let i = 0; i < faults.length; i++) {
    const f = faults[i];
    out.push({ name: f.name, message: f.message, parts: messageOf(parts, f.message)?.parts ?? [] });
  }
  return out;
}

export function modelLists(parts: Wsdl11Parts): Pick<WsdlModel, 'services' | 'bindings' | 'portTypes' | 'messages'> {
  return {
    services: parts.services.map((s) => s.value),
    bindings: [...parts.bindings.values()].map((b) => b.value),
    portTypes: [...parts.portTypes.values()].map((p) => p.value),
    messages: [...parts.messages.values()].map((m) => m.value),
  };
}

/** Big WSDLs have thousands of operations per portType; a linear find per binding operation is quadratic. */
function operationsByName(pt: PortType): Map<string, PortType['operations'][number]> {
  const map = new Map<string, PortType['operations'][number]>();
  for (let i = 0; i < pt.operations.length; i++) {
    const o = pt.operations[i];
    if (!map.has(o.name)) map.set(o.name, o);
  }
  return map;
}
