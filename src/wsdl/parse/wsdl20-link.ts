import { WsdlImportError } from '../errors';
import type { Binding, BindingMessage, BindingProtocol, Part, PortTypeOperation, Service, SoapVersion, Unsupported } from '../model';
import { qn, qnLocal, qnNs, type QName } from '../qname';
import type { Binding20, Interface20, InterfaceOperation20, MessageContent, Wsdl20Parts } from './wsdl20-read';
import type { Wsdl11Parts } from './wsdl11-read';

export interface Link20Context {
  elementExists: (name: QName) => boolean;
  hasSchemaFor: (ns: string) => boolean;
  /** Appended to errors, e.g. the list of imports that were not found. */
  hint: string;
  unsupported: Unsupported[];
}

export interface Linked20 {
  /** The WSDL 1.1-shaped components, ready for `flattenOperations` and `modelLists`. */
  parts: Wsdl11Parts;
  /** `${binding}|${operation}` of every operation whose interface operation is `wsdlx:safe="true"`. */
  safe: Set<string>;
}

const WSDL20_PATTERNS: Record<string, PortTypeOperation['pattern']> = {
  'in-out': 'request-response',
  'in-opt-out': 'request-response',
  'in-only': 'one-way',
  'robust-in-only': 'one-way',
  'out-only': 'notification',
  'robust-out-only': 'notification',
  'out-in': 'solicit-response',
  'out-opt-in': 'solicit-response',
};
const SOAP_RESPONSE_MEP = 'http://www.w3.org/2003/05/soap/mep/soap-response';
const SOAP_TYPES = new Set(['http://www.w3.org/ns/wsdl/soap', 'http://www.w3.org/2006/01/wsdl/soap']);
const HTTP_TYPES = new Set(['http://www.w3.org/ns/wsdl/http', 'http://www.w3.org/2006/01/wsdl/http']);
/** Binding type URIs of the 2004/2005 WSDL 2.0 working drafts, still in Axis2's test files. */
const DRAFT_SOAP_TYPE = /^http:\/\/www\.w3\.org\/200[45]\/\d\d\/wsdl\/soap(11|12)?$/;

function show(q: QName): string {
  return q.startsWith('{}') ? q.slice(2) : q;
}

/**
 * Resolves WSDL 2.0 references (endpoint → binding → interface (+ extends) → element) and
 * expresses the result as the WSDL 1.1 components of the model: an interface is a portType, and
 * every interface message reference becomes a synthesized message `{tns}Interface_operation_In`
 * (`_Out`; faults `Interface_fault_Fault`) with one part named after its element, so flattening,
 * the pass-through index, the REST facade and OpenAPI need no WSDL 2.0 case. WSDL 2.0 is
 * document/literal only; the RPC style still names elements, so it is document (wrapped) here.
 */
export function linkWsdl20(d: Wsdl20Parts, ctx: Link20Context): Linked20 {
  const parts: Wsdl11Parts = { messages: new Map(), portTypes: new Map(), bindings: new Map(), services: [] };
  const safe = new Set<string>();
  const note = (construct: string, where: string): void => void ctx.unsupported.push({ construct, where });

  const element = (q: QName, iface: Interface20, what: string): QName => {
    if (ctx.elementExists(q)) return q;
    // `element="foo"` with the WSDL namespace as default namespace: meant the targetNamespace.
    const local = qn(qnNs(iface.name), qnLocal(q));
    if (local !== q && ctx.elementExists(local)) {
      note(`reference ${q} resolved by local name to ${local}`, `${iface.file} ${what}`);
      return local;
    }
    const problem = `${what} references unknown element "${show(q)}"`;
    if (!ctx.hasSchemaFor(qnNs(q))) throw new WsdlImportError(iface.file, `${problem}: no schema in the bundle has namespace "${qnNs(q)}"${ctx.hint}`);
    note(problem, iface.file);
    return q;
  };
  const message = (name: QName, c: MessageContent, iface: Interface20, what: string): QName => {
    if (parts.messages.has(name)) return name;
    const body: Part[] = [];
    if (c.kind === 'element') {
      const el = element(c.name, iface, what);
      body.push({ name: qnLocal(el), element: el, type: null });
    } else if (c.kind !== '#none') {
      note(`${c.kind} message content (any element; not typed: the REST facade sends and expects an empty body)`, `${iface.file} ${what}`);
    }
    parts.messages.set(name, { value: { name, parts: body }, file: iface.file, el: iface.el });
    return name;
  };

  // 1. Interfaces → portTypes, with inherited operations and faults.
  const effective = new Map<QName, { ops: { op: InterfaceOperation20; owner: Interface20 }[]; faults: Map<QName, { owner: Interface20; content: MessageContent }> }>();
  const resolveInterface = (name: QName, path: QName[]): NonNullable<ReturnType<typeof effective.get>> => {
    const done = effective.get(name);
    if (done) return done;
    const iface = d.interfaces.get(name) as Interface20;
    const ops: { op: InterfaceOperation20; owner: Interface20 }[] = iface.operations.map((op) => ({ op, owner: iface }));
    const faults = new Map(iface.faults.map((f) => [f.name, { owner: iface, content: f.content }]));
    for (const base of iface.extends) {
      if (path.includes(base)) throw new WsdlImportError(iface.file, `interface "${qnLocal(name)}" extends itself through "${show(base)}"`);
      if (!d.interfaces.has(base)) throw new WsdlImportError(iface.file, `interface "${qnLocal(name)}" extends unknown interface "${show(base)}"${ctx.hint}`);
      const inherited = resolveInterface(base, [...path, base]);
      for (const o of inherited.ops) if (!ops.some((x) => x.op.name === o.op.name)) ops.push(o);
      for (const [k, v] of inherited.faults) if (!faults.has(k)) faults.set(k, v);
    }
    const result = { ops, faults };
    effective.set(name, result);
    return result;
  };
  for (const iface of d.interfaces.values()) {
    const { ops, faults } = resolveInterface(iface.name, [iface.name]);
    const operations: PortTypeOperation[] = [];
    for (const { op, owner } of ops) {
      const where = `interface "${qnLocal(owner.name)}" operation "${qnLocal(op.name)}"`;
      const mep = op.pattern.slice(op.pattern.lastIndexOf('/') + 1);
      const pattern = WSDL20_PATTERNS[mep];
      if (!pattern) {
        if (owner === iface) note(`message exchange pattern "${op.pattern}" (operation not modelled)`, `${owner.file}:${op.line} ${where}`);
        continue;
      }
      if (mep === 'in-opt-out' && owner === iface) note('in-opt-out pattern: modelled as in-out (the response is expected)', `${owner.file}:${op.line} ${where}`);
      if (operations.some((o) => o.name === qnLocal(op.name))) {
        note(`operation "${qnLocal(op.name)}" inherited twice under one local name (the first is used)`, `${iface.file} interface "${qnLocal(iface.name)}"`);
        continue;
      }
      const base = `${qnLocal(owner.name)}_${qnLocal(op.name)}`;
      const io = (c: MessageContent | null, suffix: string): PortTypeOperation['input'] =>
        c === null ? null : { name: null, message: message(qn(qnNs(owner.name), `${base}_${suffix}`), c, owner, `${where} ${suffix === 'In' ? 'input' : 'output'}`) };
      const outputFirst = pattern === 'notification' || pattern === 'solicit-response';
      const faultList: PortTypeOperation['faults'] = [];
      for (const ref of op.faultRefs) {
        const f = faults.get(ref) ?? [...faults].find(([k]) => qnLocal(k) === qnLocal(ref))?.[1];
        if (!f) {
          note(`${where} fault reference "${show(ref)}" names no fault of the interface (ignored)`, owner.file);
          continue;
        }
        const fname = faults.has(ref) ? ref : ([...faults.keys()].find((k) => qnLocal(k) === qnLocal(ref)) as QName);
        const msg = message(qn(qnNs(f.owner.name), `${qnLocal(f.owner.name)}_${qnLocal(fname)}_Fault`), f.content, f.owner, `interface "${qnLocal(f.owner.name)}" fault "${qnLocal(fname)}"`);
        faultList.push({ name: qnLocal(fname), message: msg });
      }
      operations.push({
        name: qnLocal(op.name),
        pattern,
        input: io(outputFirst ? op.output : op.input, outputFirst ? 'Out' : 'In'),
        output: pattern === 'one-way' || pattern === 'notification' ? null : io(outputFirst ? op.input : op.output, outputFirst ? 'In' : 'Out'),
        faults: faultList,
        parameterOrder: null,
      });
    }
    parts.portTypes.set(iface.name, { value: { name: iface.name, operations }, file: iface.file, el: iface.el });
  }

  // 2. Bindings. An interface-less (reusable) binding takes the interface of the service using it.
  const serviceInterface = new Map<QName, QName>();
  for (const s of d.services) for (const e of s.endpoints) if (e.binding && s.interface && !serviceInterface.has(e.binding)) serviceInterface.set(e.binding, s.interface);
  for (const b of d.bindings.values()) {
    const iface = b.interface ?? serviceInterface.get(b.name) ?? null;
    if (iface === null) {
      note('binding without an interface, used by no service with an interface (not modelled)', `${b.file}:${b.line} <binding name="${qnLocal(b.name)}">`);
      continue;
    }
    const pt = parts.portTypes.get(iface)?.value;
    if (!pt) throw new WsdlImportError(b.file, `binding "${qnLocal(b.name)}" references unknown interface "${show(iface)}"${ctx.hint}`);
    const binding = bindingOf(b, iface, note);
    const ops = effective.get(iface)?.ops ?? [];
    const explicit = new Map<string, Binding20['operations'][number]>();
    for (const bo of b.operations) {
      const match = ops.find((o) => o.op.name === bo.ref) ?? ops.find((o) => qnLocal(o.op.name) === qnLocal(bo.ref));
      if (!match) throw new WsdlImportError(b.file, `binding "${qnLocal(b.name)}" operation ref "${show(bo.ref)}" is not an operation of interface "${qnLocal(iface)}"`);
      if (match.op.name !== bo.ref) note(`reference ${bo.ref} resolved by local name to ${match.op.name}`, `${b.file}:${bo.line}`);
      explicit.set(qnLocal(match.op.name), bo);
    }
    for (const x of b.extras) note('wsoap:header / wsoap:module (not modelled; headers pass through untouched)', x);
    if (binding.protocol === 'soap' && b.mepDefault === SOAP_RESPONSE_MEP) note('SOAP-response MEP (wsoap:mepDefault): modelled as request-response', `${b.file}:${b.line}`);
    for (const pto of pt.operations) {
      const bo = explicit.get(pto.name);
      const { op, owner } = ops.find((o) => qnLocal(o.op.name) === pto.name) as { op: InterfaceOperation20; owner: Interface20 };
      if (binding.protocol === 'soap' && bo?.mep === SOAP_RESPONSE_MEP) note('SOAP-response MEP (wsoap:mep): modelled as request-response', `${b.file}:${bo.line}`);
      let soapAction = bo?.action ?? op.inputAction ?? '';
      if (bo?.action == null && op.inputAction === null && op.soapActionHint !== null) {
        soapAction = op.soapActionHint;
        if (binding.protocol === 'soap') note('wsoap:operation/@soapAction inside an interface operation (not WSDL 2.0; used as the binding\'s wsoap:action)', `${owner.file}:${op.line}`);
      }
      binding.operations.push({ name: pto.name, soapAction, style: 'document', input: pto.input ? literal() : null, output: pto.output ? literal() : null, faults: pto.faults.map((f) => ({ name: f.name, use: 'literal', namespace: null })) });
      if (op.safe) safe.add(`${b.name}|${pto.name}`);
    }
    parts.bindings.set(b.name, { value: binding, file: b.file, el: b.el });
  }

  // 3. Services: endpoints are ports.
  for (const s of d.services) {
    const service: Service = { name: s.name, ports: [] };
    for (const e of s.endpoints) {
      if (e.binding === null) {
        note('endpoint without a binding attribute', `${s.file}:${e.line} <endpoint name="${e.name}">`);
        service.ports.push({ name: e.name, binding: null, address: e.address, protocol: null, soapVersion: null });
        continue;
      }
      const b = parts.bindings.get(e.binding) ?? [...parts.bindings.values()].find((x) => qnLocal(x.value.name) === qnLocal(e.binding as QName));
      if (!b) {
        if (d.bindings.has(e.binding)) continue; // an interface-less binding already reported
        throw new WsdlImportError(s.file, `service "${qnLocal(s.name)}" endpoint "${e.name}" references unknown binding "${show(e.binding)}"${ctx.hint}`);
      }
      if (b.value.name !== e.binding) note(`reference ${e.binding} resolved by local name to ${b.value.name}`, `${s.file}:${e.line}`);
      service.ports.push({ name: e.name, binding: b.value.name, address: e.address, protocol: b.value.protocol, soapVersion: b.value.soapVersion });
    }
    parts.services.push({ value: service, file: s.file, el: s.el });
  }
  return { parts, safe };
}

function literal(): BindingMessage {
  return { use: 'literal', namespace: null, encodingStyle: null, parts: null, headers: [], mime: false };
}

/** The binding's protocol and SOAP version from its `type` IRI and `wsoap:version`. */
function bindingOf(b: Binding20, iface: QName, note: (construct: string, where: string) => void): Binding {
  const where = `${b.file}:${b.line} <binding name="${qnLocal(b.name)}">`;
  let protocol: BindingProtocol = 'other';
  let soapVersion: SoapVersion | null = null;
  const draft = DRAFT_SOAP_TYPE.exec(b.type);
  if (SOAP_TYPES.has(b.type) || draft) {
    const version = draft?.[1] === '11' ? '1.1' : draft?.[1] === '12' ? '1.2' : (b.version ?? '1.2');
    if (version === '1.1' || version === '1.2') {
      protocol = 'soap';
      soapVersion = version;
      if (draft) note(`WSDL 2.0 draft SOAP binding type "${b.type}": read as the SOAP ${version} binding (http://www.w3.org/ns/wsdl/soap)`, where);
    } else note(`wsoap:version "${version}" (only SOAP 1.1 and 1.2 are served)`, where);
  } else if (HTTP_TYPES.has(b.type)) {
    protocol = 'http';
    note('WSDL 2.0 HTTP binding (not SOAP; its endpoints are not served)', where);
  } else {
    note(`non-SOAP binding type "${b.type}"`, where);
  }
  return { name: b.name, portType: iface, protocol, soapVersion, style: 'document', transport: protocol === 'soap' ? b.protocol : null, operations: [] };
}
