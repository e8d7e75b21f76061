import http from 'node:http';
import { calculatorOperations } from '../../src/demo/demo-calculator';
import type { AddressInfo } from 'node:net';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import pino from 'pino';
import { stringify } from 'yaml';
import { request } from 'undici';
import { XMLParser } from 'fast-xml-parser';
import * as soap from 'soap';
import { SaxesParser } from 'saxes';
import { loadConfig } from '../../src/config/load';
import { startBridge, type RunningBridge } from '../../src/main';
import { CALCULATOR_WSDL } from '../../src/demo/demo-calculator';

export { CALCULATOR_WSDL };
export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'soap');
export const SOAP11_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_ENV = 'http://www.w3.org/2003/05/soap-envelope';
export type SoapVersion = '1.1' | '1.2';

/** A loopback http server on port 0 (SOAP backends, echo servers). */
export interface LoopbackServer {
  readonly server: http.Server;
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  close(): Promise<void>;
}

export async function startLoopback(handler?: http.RequestListener): Promise<LoopbackServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A `soap` package server; `seen` lists the headers of every request that reached it. */
export type SoapBackend = LoopbackServer & { readonly url: string; readonly seen: http.IncomingHttpHeaders[]; hits(): number };

/**
 * A `soap` package server for both SOAP versions at `<origin><pathname>`. One `soap` Server
 * answers in a single envelope version (its `forceSoap12Headers`), so requests are dispatched by
 * content type to two of them: SOAP 1.2 callers get SOAP 1.2 envelopes and Faults.
 */
export async function startSoapBackend(pathname: string, services: (version: SoapVersion) => soap.IServices, wsdlFile: string): Promise<SoapBackend> {
  const xmlText = readFileSync(wsdlFile, 'utf8');
  const inner = { '1.1': http.createServer(), '1.2': http.createServer() };
  await Promise.all(
    (['1.1', '1.2'] as const).map(
      (v) =>
        new Promise<void>((resolve, reject) => {
          const options: soap.IServerOptions = { path: pathname, services: services(v), xml: xmlText, forceSoap12Headers: v === '1.2', callback: (err: unknown) => (err ? reject(err) : resolve()) };
          soap.listen(inner[v], options);
        }),
    ),
  );
  const seen: http.IncomingHttpHeaders[] = [];
  const s = await startLoopback((req, res) => {
    seen.push(req.headers);
    inner[String(req.headers['content-type'] ?? '').startsWith('application/soap+xml') ? '1.2' : '1.1'].emit('request', req, res);
  });
  return { ...s, url: `${s.origin}${pathname}`, seen, hits: () => seen.length };
}

/** The Calculator's operations; Divide by zero throws a Client/Sender Fault of `version` (the demo's own). */
export const calculatorOps = calculatorOperations;

/** The demo Calculator WSDL served by the `soap` package at `<origin>/calculator`. */
export function startCalculatorBackend(): Promise<SoapBackend> {
  return startSoapBackend('/calculator', (v) => ({ Calculator: { CalculatorSoap: calculatorOps(v), CalculatorSoap12: calculatorOps(v) } }), CALCULATOR_WSDL);
}

export interface SoapBridgeOptions {
  /** The WSDL entry; its whole folder is copied into the temp config (imports travel along). */
  readonly wsdl: string;
  /** The API's production endpoint (a `soap` leaf). */
  readonly backendUrl: string;
  readonly name?: string;
  /** Merged into soapbridge.yaml's `server` block (publicUrl, limits, ...). */
  readonly server?: Record<string, unknown>;
  /** Merged into the endpoint (timeout, ...). */
  readonly endpoint?: Record<string, unknown>;
  /** What the API exposes (default `{ soap: true }`; `{ soap: true, rest: true }` adds the REST facade). */
  readonly expose?: { soap?: boolean; rest?: boolean };
  /** Merged into apis/<name>.yaml (state, faultStatus, apiKeys, ...). */
  readonly api?: Record<string, unknown>;
}

export interface SoapTestBridge {
  readonly bridge: RunningBridge;
  /** http://127.0.0.1:<port>/<name>/v1, where the SOAP API answers. */
  readonly apiUrl: string;
  readonly adminUrl: string;
  close(): Promise<void>;
}

/**
 * Writes a temp config dir (soapbridge.yaml + apis/<name>.yaml + a copy of the WSDL's folder, so
 * the importer's cache never lands in the repo) and starts an in-process bridge on port 0.
 */
export async function startSoapBridge(opts: SoapBridgeOptions): Promise<SoapTestBridge> {
  const name = opts.name ?? 'calc';
  const dir = mkdtempSync(path.join(tmpdir(), 'soapbridge-soap-'));
  mkdirSync(path.join(dir, 'apis'));
  cpSync(path.dirname(opts.wsdl), path.join(dir, 'wsdl'), { recursive: true, filter: (src) => !path.basename(src).startsWith('.') });
  const server = { http: { host: '127.0.0.1', port: 0 }, shutdownGraceMs: 2000, ...opts.server };
  writeFileSync(path.join(dir, 'soapbridge.yaml'), stringify({ server, admin: { host: '127.0.0.1', port: 0 }, apis: 'apis', logging: { level: 'silent' } }));
  const api = {
    name,
    context: `/${name}`,
    version: 'v1',
    wsdl: `../wsdl/${path.basename(opts.wsdl)}`,
    expose: opts.expose ?? { soap: true },
    endpoints: { production: { type: 'soap', url: opts.backendUrl, ...opts.endpoint } },
    ...opts.api,
  };
  writeFileSync(path.join(dir, 'apis', `${name}.yaml`), stringify(api));
  let bridge: RunningBridge;
  try {
    bridge = await startBridge(loadConfig(path.join(dir, 'soapbridge.yaml'), {}), { log: pino({ level: 'silent' }), defaultMetrics: false });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    bridge,
    apiUrl: `${bridge.urls.http!}/${name}/v1`,
    adminUrl: bridge.urls.admin!,
    async close() {
      await bridge.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A SOAP envelope of the given version around `body` (an XML fragment). */
export function envelope(version: SoapVersion, body: string, header = ''): string {
  const ns = version === '1.1' ? SOAP11_ENV : SOAP12_ENV;
  return `<?xml version="1.0" encoding="utf-8"?><env:Envelope xmlns:env="${ns}">${header ? `<env:Header>${header}</env:Header>` : ''}<env:Body>${body}</env:Body></env:Envelope>`;
}

/** A Calculator operation element (document/literal wrapped, http://tempuri.org/). */
export function calcBody(op: string, a: number, b: number): string {
  return `<t:${op} xmlns:t="http://tempuri.org/"><t:intA>${a}</t:intA><t:intB>${b}</t:intB></t:${op}>`;
}

/** Content type and action headers of a SOAP request. `action: null` sends no SOAPAction at all. */
export function soapHeaders(version: SoapVersion, action: string | null): Record<string, string> {
  if (version === '1.2') return { 'content-type': `application/soap+xml; charset=utf-8${action ? `; action="${action}"` : ''}` };
  return { 'content-type': 'text/xml; charset=utf-8', ...(action === null ? {} : { soapaction: `"${action}"` }) };
}

export interface SoapReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** POSTs an envelope (string, bytes or a stream) and reads the whole answer. */
export async function postSoap(url: string, body: string | Buffer | Readable, headers: Record<string, string>): Promise<SoapReply> {
  const res = await request(url, { method: 'POST', headers, body });
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: await res.body.text() };
}

export interface ParsedFault {
  readonly version: SoapVersion;
  /** faultcode (1.1) or Code/Value (1.2) without its prefix: Client, Server, Sender, Receiver, VersionMismatch. */
  readonly code: string;
  readonly reason: string;
  /** The bridge's stable code (<sb:code> in detail), when the bridge wrote the Fault. */
  readonly bridgeCode?: string;
}

const xml = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, parseTagValue: false, processEntities: false });

type Node = Record<string, unknown>;
const child = (n: unknown, key: string): Node | undefined => (n && typeof n === 'object' ? ((n as Node)[key] as Node | undefined) : undefined);
const text = (n: unknown): string => (typeof n === 'string' ? n : n && typeof n === 'object' ? String((n as Node)['#text'] ?? '') : '');

/** Parses a SOAP Fault (either version); throws when `body` is not one. */
export function parseFault(body: string): ParsedFault {
  const doc = xml.parse(body) as Node;
  const env = child(doc, 'Envelope');
  const fault = child(child(env, 'Body'), 'Fault');
  if (!fault) throw new Error(`not a SOAP Fault:\n${body.slice(0, 500)}`);
  const version = envelopeVersion(body);
  const strip = (s: string): string => s.slice(s.indexOf(':') + 1);
  if (version === '1.2') {
    const detail = child(fault, 'Detail');
    return { version, code: strip(text(child(child(fault, 'Code'), 'Value'))), reason: text(child(child(fault, 'Reason'), 'Text')), ...(detail ? { bridgeCode: text(child(detail, 'code')) } : {}) };
  }
  const detail = child(fault, 'detail');
  return { version, code: strip(text(child(fault, 'faultcode'))), reason: text(child(fault, 'faultstring')), ...(detail ? { bridgeCode: text(child(detail, 'code')) } : {}) };
}

/** The SOAP version of a document's root Envelope, from the namespace its prefix is bound to. */
export function envelopeVersion(body: string): SoapVersion {
  const root = /<(?:([\w.-]+):)?Envelope\b[^>]*>/.exec(body);
  if (!root) throw new Error(`no Envelope in:\n${body.slice(0, 300)}`);
  const decl = new RegExp(`xmlns${root[1] ? `:${root[1]}` : ''}\\s*=\\s*["']([^"']*)["']`).exec(root[0]);
  return decl?.[1] === SOAP12_ENV ? '1.2' : '1.1';
}

/** The value of one Prometheus sample line, 0 when absent. */
export async function metricValue(adminUrl: string, name: string, labels: Record<string, string>): Promise<number> {
  const res = await request(`${adminUrl}/metrics`);
  const lines = (await res.body.text()).split('\n').filter((l) => l.startsWith(`${name}{`));
  const line = lines.find((l) => Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

const WSDL_NS = 'http://schemas.xmlsoap.org/wsdl/';
const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
const ADDRESS_NS = new Set(['http://schemas.xmlsoap.org/wsdl/soap/', 'http://schemas.xmlsoap.org/wsdl/soap12/']);

/** The locations a WSDL/XSD document points at: service addresses and imported documents. */
export interface DocReferences {
  /** soap:address / soap12:address `location`s. */
  readonly addresses: string[];
  /** wsdl:import `location`, xsd:import / xsd:include / xsd:redefine `schemaLocation`. */
  readonly imports: string[];
}

/** Reads the references of a document by namespace URI (whatever the prefixes). */
export function docReferences(xmlText: string): DocReferences {
  const parser = new SaxesParser({ xmlns: true });
  const out = { addresses: [] as string[], imports: [] as string[] };
  parser.on('opentag', (t) => {
    const attr = (name: string): string | undefined => {
      const a = t.attributes[name];
      return typeof a === 'string' ? a : a?.value;
    };
    if (t.local === 'address' && ADDRESS_NS.has(t.uri)) out.addresses.push(attr('location') ?? '');
    else if (t.uri === WSDL_NS && t.local === 'import') out.imports.push(attr('location') ?? '');
    else if (t.uri === XSD_NS && ['import', 'include', 'redefine'].includes(t.local)) {
      const loc = attr('schemaLocation');
      if (loc !== undefined) out.imports.push(loc);
    }
  });
  parser.write(xmlText).close();
  return out;
}

/**
 * Registers jest hooks that start a `soap` Calculator backend and a bridge in front of it (per
 * test, or once for the file) and stop both; read them through the returned object inside tests.
 */
export function useCalculatorBridge(scope: 'each' | 'all' = 'each'): { readonly backend: SoapBackend; readonly bridge: SoapTestBridge } {
  let backend: SoapBackend | undefined;
  let bridge: SoapTestBridge | undefined;
  (scope === 'each' ? beforeEach : beforeAll)(async () => {
    backend = await startCalculatorBackend();
    bridge = await startSoapBridge({ wsdl: CALCULATOR_WSDL, backendUrl: backend.url });
  });
  (scope === 'each' ? afterEach : afterAll)(async () => {
    await bridge?.close();
    await backend?.close();
  });
  return {
    get backend(): SoapBackend {
      if (!backend) throw new Error('the Calculator backend is not started (use it inside a test)');
      return backend;
    },
    get bridge(): SoapTestBridge {
      if (!bridge) throw new Error('the bridge is not started (use it inside a test)');
      return bridge;
    },
  };
}
