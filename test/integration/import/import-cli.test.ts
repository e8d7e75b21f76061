/**
 * `soapbridge import` end to end (issue 3): what it writes (`wsdl/NAME/…` beside the config
 * folder, `apis/NAME.yaml`), that the API file validates, that a URL bundle with remote and
 * query-string imports is stored so it loads offline, and that refused input writes nothing.
 * Every WSDL is generated; URL sources are loopback servers.
 */
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/index';
import { loadConfig } from '../../../src/config/load';
import { startBridge } from '../../../src/main';
import pino from 'pino';
import { compileModel, importCompiled, loadBundle, SERVED_WSDL_OPTIONS, sourceFilesOf } from '../../../src/wsdl';
import { makeZip } from '../../fixtures/import/zip-writer';
import { pingSchema, wsdl, xsd, XSD } from '../../fixtures/import/wsdl-gen';
import { rfc7616Server } from '../auth/rfc7616-server';
import { makePki, type Pki } from '../../utils/tls';

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process, capturing what it prints. */
async function cli(...args: string[]): Promise<Run> {
  return cliWith({}, ...args);
}

/** cli() with extra environment variables for the run. */
async function cliWith(env: Record<string, string>, ...args: string[]): Promise<Run> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  try {
    const code = await main(['import', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/**
 * Every file below `dir` (relative, sorted) with its content, to prove what was (not) written.
 * Model caches are left out: derived data, checked by the test about them.
 */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name === '.soapbridge-cache') continue;
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p).split(path.sep).join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

let root: string;
let work: string;
let configFile: string;
let sources: string;

function freshConfig(): void {
  work = mkdtempSync(path.join(root, 'w-'));
  mkdirSync(path.join(work, 'config', 'apis'), { recursive: true });
  configFile = path.join(work, 'config', 'soapbridge.yaml');
  writeFileSync(configFile, 'server: { http: { port: 0 } }\napis: apis\n');
}

function source(rel: string, text: string | Buffer): string {
  const f = path.join(sources, rel);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, text);
  return f;
}

// Two loopback servers (two origins), counting hits.
let server: Server;
let other: Server;
let base: string;
let otherBase: string;
const hits: string[] = [];
let handler: (req: IncomingMessage, res: ServerResponse) => void = (_q, res) => res.writeHead(404).end();
let otherHandler: (req: IncomingMessage, res: ServerResponse) => void = (_q, res) => res.writeHead(404).end();

async function listen(h: () => (req: IncomingMessage, res: ServerResponse) => void): Promise<{ s: Server; url: string }> {
  const s = createServer((req, res) => {
    hits.push(req.url ?? '');
    h()(req, res);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { s, url: `http://127.0.0.1:${(s.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'soapbridge-import-'));
  sources = path.join(root, 'sources');
  ({ s: server, url: base } = await listen(() => handler));
  ({ s: other, url: otherBase } = await listen(() => otherHandler));
});
afterAll(async () => {
  for (const s of [server, other]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  freshConfig();
  hits.length = 0;
  handler = (_q, res) => res.writeHead(404).end();
  otherHandler = (_q, res) => res.writeHead(404).end();
});

describe('soapbridge import (file source)', () => {
  it('copies the bundle under wsdl/NAME, writes apis/NAME.yaml that validates, prints what it found', async () => {
    const entry = source('orders/svc.wsdl', wsdl({ types: `<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:t" schemaLocation="types/t.xsd"/></xs:schema>`, address: 'http://backend.example.invalid/orders' }));
    source('orders/types/t.xsd', xsd('urn:t', 'Ping'));
    const r = await cli(entry, '--name', 'orders', '--context', '/orders', '--config', configFile);
    expect(r.err).not.toMatch(/error|refused/i);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Ping/);
    expect(Object.keys(snapshot(work)).sort()).toEqual(['config/apis/orders.yaml', 'config/soapbridge.yaml', 'wsdl/orders/svc.wsdl', 'wsdl/orders/types/t.xsd']);
    // Relative imports are copied byte for byte.
    expect(readFileSync(path.join(work, 'wsdl/orders/types/t.xsd'), 'utf8')).toBe(xsd('urn:t', 'Ping'));
    const config = loadConfig(configFile);
    const api = config.apis.find((a) => a.config.name === 'orders');
    expect(api?.config.context).toBe('/orders');
    expect(api?.config.wsdl).toBe('../../wsdl/orders/svc.wsdl');
    expect(api?.config.expose?.soap).toBe(true);
    const model = compileModel(await loadBundle(path.join(work, 'wsdl/orders/svc.wsdl'), { remoteImports: 'refuse' }));
    expect(model.operations.map((o) => o.name)).toEqual(['Ping']);
  });

  it('a placeholder address ("FOO", jms:) is not taken as the backend: the API file asks for one, and the bridge starts', async () => {
    for (const [name, address] of [['foo', 'FOO'], ['jms', 'jms:queue:orders'], ['empty', 'http://']]) {
      const entry = source(`${name}/svc.wsdl`, wsdl({ address }));
      const r = await cli(entry, '--name', name, '--config', configFile);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`${address} (not an http(s) URL: the bridge cannot call it)`);
      expect(r.out).toContain('note: no SOAP port with an http(s) address the bridge can call');
      expect(loadConfig(configFile).apis.find((a) => a.config.name === name)?.config.endpoints?.production).toEqual({ type: 'soap', url: 'http://CHANGE-ME.invalid/service' });
    }
    const bridge = await startBridge(loadConfig(configFile), { log: pino({ level: 'silent' }), defaultMetrics: false });
    await bridge.close();
    // Written by hand as `type: wsdl`, such an API is refused with a message that says why.
    writeFileSync(path.join(work, 'config', 'apis', 'foo.yaml'), readFileSync(path.join(work, 'config', 'apis', 'foo.yaml'), 'utf8').replace(/production:[\s\S]*$/, 'production: { type: wsdl }\n'));
    await expect(startBridge(loadConfig(configFile), { log: pino({ level: 'silent' }), defaultMetrics: false })).rejects.toThrow(
      'svc.wsdl: no SOAP port */* with an http(s) address the bridge can call (ports: PingService/PingPort "FOO"); give the endpoint a url instead of type: wsdl',
    );
  });

  it('imports a .zip and copies only what the WSDL uses', async () => {
    const zip = source('bundle.zip', makeZip([
      { name: 'svc/main.wsdl', data: wsdl({ types: `<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:t" schemaLocation="xsd/t.xsd"/></xs:schema>` }) },
      { name: 'svc/xsd/t.xsd', data: xsd('urn:t', 'Ping') },
      { name: 'svc/readme.txt', data: 'not copied' },
    ]));
    const r = await cli(zip, '--name', 'zipped', '--config', configFile);
    expect(r.code).toBe(0);
    expect(Object.keys(snapshot(path.join(work, 'wsdl'))).sort()).toEqual(['zipped/main.wsdl', 'zipped/xsd/t.xsd']);
    expect(loadConfig(configFile).apis.map((a) => a.config.name)).toEqual(['zipped']);
  });

  it('stores the model of the copy as its cache, the source\'s when the copy is it byte for byte, so the first start does not compile', async () => {
    const types = (loc: string): string => `<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:t" schemaLocation="${loc}"/></xs:schema>`;
    source('seed/types/t.xsd', xsd('urn:t', 'Ping'));
    source('seed/types/t y.xsd', xsd('urn:t', 'Ping'));
    const same = source('seed/same.wsdl', wsdl({ types: types('types/t.xsd') }));
    const dotted = source('seed/dotted.wsdl', wsdl({ types: types('./types/t.xsd') })); // a location that leads to the copy stays as written
    const renamed = source('seed/renamed.wsdl', wsdl({ types: types('types/t y.xsd') })); // copied as types/t_y.xsd: the copy compiled under its names
    for (const [name, entry] of [['same', same], ['dotted', dotted], ['renamed', renamed]] as const) expect((await cli(entry, '--name', name, '--config', configFile)).code).toBe(0);
    const cacheOf = (name: string): string[] => {
      const dir = path.join(work, 'wsdl', name, '.soapbridge-cache');
      return existsSync(dir) ? readdirSync(dir).map((f) => path.join(dir, f)) : [];
    };
    const renamedCopy = path.join(work, 'wsdl', 'renamed', 'renamed.wsdl');
    expect(readFileSync(renamedCopy, 'utf8')).toContain('schemaLocation="types/t_y.xsd"');
    const [renamedCache] = cacheOf('renamed');
    const renamedBytes = readFileSync(renamedCache as string);
    expect(JSON.stringify(await importCompiled(renamedCopy, SERVED_WSDL_OPTIONS))).toBe(JSON.stringify(compileModel(await loadBundle(renamedCopy, SERVED_WSDL_OPTIONS))));
    expect(readFileSync(renamedCache as string).equals(renamedBytes)).toBe(true);
    expect(cacheOf('dotted')).toHaveLength(1);
    expect(readFileSync(path.join(work, 'wsdl', 'dotted', 'dotted.wsdl'), 'utf8')).toBe(readFileSync(dotted, 'utf8'));
    const [seeded, ...more] = cacheOf('same');
    expect(seeded).toBeDefined();
    expect(more).toEqual([]);
    const bytes = readFileSync(seeded as string);
    const copy = path.join(work, 'wsdl', 'same', 'same.wsdl');
    const served = await importCompiled(copy, SERVED_WSDL_OPTIONS);
    // A hit: the entry is not written again (a miss would compile and rewrite it).
    expect(readFileSync(seeded as string).equals(bytes)).toBe(true);
    expect(JSON.stringify(served)).toBe(JSON.stringify(compileModel(await loadBundle(copy, SERVED_WSDL_OPTIONS))));
    expect(sourceFilesOf(served)).toEqual([copy, path.join(work, 'wsdl', 'same', 'types', 't.xsd')]);
    // And it is a cache entry like any other: an edit of the copy makes it stale.
    writeFileSync(path.join(work, 'wsdl', 'same', 'types', 't.xsd'), xsd('urn:t', 'Pong'));
    expect(JSON.stringify((await importCompiled(copy, SERVED_WSDL_OPTIONS)).schema)).toContain('Pong');
  });

  it('a seeded cache is the model of the copy for a .zip and for a bundle spread over sibling folders too', async () => {
    const types = (loc: string): string => `<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:t" schemaLocation="${loc}"/></xs:schema>`;
    const zip = source('seed2/bundle.zip', makeZip([
      { name: 'svc/main.wsdl', data: wsdl({ types: types('xsd/t.xsd') }) },
      { name: 'svc/xsd/t.xsd', data: xsd('urn:t', 'Ping') },
    ]));
    source('seed2/sib/b/t.xsd', xsd('urn:t', 'Ping'));
    const sibling = source('seed2/sib/a/main.wsdl', wsdl({ types: types('../b/t.xsd') }));
    for (const [name, entry, copy] of [['zipped2', zip, 'main.wsdl'], ['sibling', sibling, 'a/main.wsdl']] as const) {
      expect((await cli(entry, '--name', name, '--config', configFile)).code).toBe(0);
      const stored = path.join(work, 'wsdl', name, copy);
      const dir = path.join(path.dirname(stored), '.soapbridge-cache');
      const [seeded] = readdirSync(dir).map((f) => path.join(dir, f));
      const bytes = readFileSync(seeded as string);
      const served = JSON.stringify(await importCompiled(stored, SERVED_WSDL_OPTIONS));
      expect(readFileSync(seeded as string).equals(bytes)).toBe(true);
      expect(served).toBe(JSON.stringify(compileModel(await loadBundle(stored, SERVED_WSDL_OPTIONS))));
    }
  });

  it('a WSDL in ISO-8859-1 or UTF-16 is stored as UTF-8 that says so, and reads back as the source does', async () => {
    const drinks = `<xs:schema targetNamespace="urn:t" elementFormDefault="qualified"><xs:element name="Ping"><xs:complexType><xs:sequence><xs:element name="text"><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="café"/><xs:enumeration value="thé ☕"/></xs:restriction></xs:simpleType></xs:element></xs:sequence></xs:complexType></xs:element></xs:schema>`;
    const latin1 = source('enc/latin1.wsdl', Buffer.from(wsdl({ prolog: `<?xml version="1.0" encoding="ISO-8859-1"?>`, types: drinks.replace(' ☕', '') }), 'latin1'));
    const utf16 = source('enc/utf16.wsdl', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(wsdl({ prolog: `<?xml version='1.0' encoding='UTF-16'?>`, types: drinks }), 'utf16le')]));
    for (const [name, entry, declared] of [['latin1', latin1, 'ISO-8859-1'], ['utf16', utf16, 'UTF-16']] as const) {
      const r = await cli(entry, '--name', name, '--config', configFile);
      expect(r.code).toBe(0);
      const stored = path.join(work, 'wsdl', name, `${name}.wsdl`);
      const bytes = readFileSync(stored);
      expect(bytes.subarray(0, 60).toString('utf8')).toMatch(/^<\?xml version=.1\.0. encoding=.UTF-8.\?>/);
      expect(bytes.toString('utf8')).toContain('value="café"');
      expect(bytes.toString('utf8')).not.toContain(declared);
      const fromSource = compileModel(await loadBundle(entry, { remoteImports: 'refuse' }));
      const fromCopy = compileModel(await loadBundle(stored, { remoteImports: 'refuse' }));
      expect(fromCopy).toEqual(fromSource);
      expect(JSON.stringify(fromCopy.schema)).toContain(name === 'utf16' ? '"café","thé ☕"' : '"café","thé"');
    }
  });

  it('shows progress on stderr while importing a large WSDL', async () => {
    const elements = Array.from({ length: 3000 }, (_, i) => `<xs:element name="E${i}"><xs:complexType><xs:sequence><xs:element name="a" type="xs:string"/><xs:element name="b" type="xs:int" minOccurs="0"/></xs:sequence><xs:attribute name="id" type="xs:string"/></xs:complexType></xs:element>`).join('\n');
    const entry = source('big/big.wsdl', wsdl({ types: pingSchema().replace('</xs:schema>', `${elements}</xs:schema>`), padding: 512 * 1024 }));
    expect(statSync(entry).size).toBeGreaterThan(1024 * 1024);
    const r = await cli(entry, '--name', 'big', '--config', configFile);
    expect(r.code).toBe(0);
    const lines = r.err.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(r.err).toMatch(/reading .*big\.wsdl/);
    expect(r.err).toMatch(/loaded big\.wsdl \(\d+ KiB\)/);
    expect(r.err).toMatch(/compiling 1 document\(s\)/);
    expect(r.err).toMatch(/compiled 1 operation\(s\) in \d+ ms/);
    expect(r.err).toMatch(/writing 1 document\(s\)/);
    expect(r.err).toMatch(/wrote .*big\.yaml/);
  });
});

/** A WCF-style service: ?wsdl imports ?wsdl=wsdl0, ?xsd=xsd0 (absolute), ?xsd=xsd1 (relative), a schema on another host. */
function serveWcf(): void {
  handler = (req, res) => {
    const u = req.url ?? '';
    const send = (t: string): void => void res.writeHead(200, { 'content-type': 'text/xml' }).end(t);
    if (u === '/svc/Service.svc?wsdl') {
      send(
        wsdl({
          xmlns: 'xmlns:i0="urn:abstract"',
          imports: `<wsdl:import namespace="urn:abstract" location="${base}/svc/Service.svc?wsdl=wsdl0"/>`,
          types: `<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:t" schemaLocation="${base}/svc/Service.svc?xsd=xsd0"/><xs:import namespace="urn:u" schemaLocation="Service.svc?xsd=xsd1&amp;v=2"/><xs:import namespace="urn:common" schemaLocation="${otherBase}/schemas/common.xsd"/></xs:schema>`,
          address: `${base}/svc/Service.svc`,
        }),
      );
    } else if (u === '/svc/Service.svc?wsdl=wsdl0') send('<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:abstract"/>');
    else if (u === '/svc/Service.svc?xsd=xsd0') send(xsd('urn:t', 'Ping', `<xs:import namespace="urn:u" schemaLocation="${base}/svc/Service.svc?xsd=xsd1&amp;v=2"/>`));
    else if (u === '/svc/Service.svc?xsd=xsd1&v=2') send(xsd('urn:u', 'U'));
    else res.writeHead(404).end();
  };
  otherHandler = (req, res) => {
    if (req.url === '/schemas/common.xsd') res.writeHead(200).end(xsd('urn:common', 'Common', `<xs:import namespace="urn:deeper" schemaLocation="deeper/d.xsd"/>`));
    else if (req.url === '/schemas/deeper/d.xsd') res.writeHead(200).end(xsd('urn:deeper', 'D'));
    else res.writeHead(404).end();
  };
}

describe('soapbridge import (URL source with remote and query-string imports)', () => {
  it('stores every remote document locally under a safe name, points the copies at each other, and reloads offline', async () => {
    serveWcf();
    const r = await cli(`${base}/svc/Service.svc?wsdl`, '--name', 'wcf', '--config', configFile);
    expect(r.err).not.toMatch(/refused/);
    expect(r.code).toBe(0);
    const files = snapshot(path.join(work, 'wsdl', 'wcf'));
    const names = Object.keys(files).sort();
    for (const n of names) expect(n).toMatch(/^[A-Za-z0-9._/-]+$/);
    expect(names).toHaveLength(6);
    expect(names).toEqual(
      expect.arrayContaining(['Service.svc_wsdl.wsdl', 'Service.svc_wsdl_wsdl0.wsdl', 'Service.svc_xsd_xsd0.xsd', 'Service.svc_xsd_xsd1_v_2.xsd']),
    );
    expect(names.filter((n) => n.startsWith('remote/127.0.0.1_')).sort()).toEqual([
      `remote/127.0.0.1_${new URL(otherBase).port}/schemas/common.xsd`,
      `remote/127.0.0.1_${new URL(otherBase).port}/schemas/deeper/d.xsd`,
    ]);
    // No import location in any copy still points at a server; the service address is kept.
    for (const [n, text] of Object.entries(files)) {
      for (const m of text.matchAll(/(?:schemaLocation|location)="([^"]*)"/g)) {
        if (/<soap:address location=/.test(text.slice(Math.max(0, (m.index ?? 0) - 14), (m.index ?? 0) + 9))) continue;
        expect([n, m[1]]).toEqual([n, expect.not.stringMatching(/^http|\?/)]);
      }
    }
    expect(files['Service.svc_wsdl.wsdl']).toContain(`<soap:address location="${base}/svc/Service.svc"/>`);
    expect(files['Service.svc_wsdl.wsdl']).toContain(`schemaLocation="remote/127.0.0.1_${new URL(otherBase).port}/schemas/common.xsd"`);
    expect(files[`remote/127.0.0.1_${new URL(otherBase).port}/schemas/common.xsd`]).toContain('schemaLocation="deeper/d.xsd"');
    expect(files['Service.svc_xsd_xsd0.xsd']).toContain('schemaLocation="Service.svc_xsd_xsd1_v_2.xsd"');

    // Offline: servers answer nothing any more, remote imports refused; the copy must still load.
    handler = (_q, res) => res.writeHead(500).end();
    otherHandler = handler;
    hits.length = 0;
    const entry = path.join(work, 'wsdl', 'wcf', 'Service.svc_wsdl.wsdl');
    const bundle = await loadBundle(entry, { remoteImports: 'refuse' });
    expect(bundle.documents.size).toBe(6);
    expect(bundle.missing).toEqual([]);
    expect(compileModel(bundle).operations.map((o) => o.name)).toEqual(['Ping']);
    expect(hits).toEqual([]);
    const api = loadConfig(configFile).apis.find((a) => a.config.name === 'wcf');
    expect(api?.config.wsdl).toBe('../../wsdl/wcf/Service.svc_wsdl.wsdl');
  });

  it('refuses a WSDL URL that hangs after --timeout, writing nothing', async () => {
    handler = () => undefined;
    const before = snapshot(work);
    const r = await cli(`${base}/hang?wsdl`, '--name', 'slow', '--timeout', '300', '--config', configFile);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${base}/hang?wsdl: cannot fetch: no complete answer within 300 ms`);
    expect(snapshot(work)).toEqual(before);
  });

  it('refuses a 404 and a body over the size cap, writing nothing', async () => {
    handler = (req, res) => {
      if (req.url === '/big') res.writeHead(200, { 'content-length': String(1 << 30) }).write('<');
      else res.writeHead(404).end();
    };
    const before = snapshot(work);
    const r1 = await cli(`${base}/gone?wsdl`, '--name', 'gone', '--config', configFile);
    expect(r1.code).toBe(1);
    expect(r1.err).toContain(`HTTP 404 from ${base}/gone?wsdl`);
    const r2 = await cli(`${base}/big`, '--name', 'big', '--config', configFile);
    expect(r2.code).toBe(1);
    expect(r2.err).toMatch(/document is 1073741824 bytes, over the 16777216-byte limit/);
    expect(snapshot(work)).toEqual(before);
  });
});

describe('soapbridge import from a protected URL', () => {
  const PASSWORD = 's3cret-Pw';
  /** The WCF service of the test above, behind `gate` on its own origin; what the other origin was sent. */
  function protect(gate: (req: IncomingMessage, res: ServerResponse, pass: () => void) => void): (string | undefined)[] {
    serveWcf();
    const inner = handler;
    handler = (req, res) => gate(req, res, () => inner(req, res));
    const otherAuth: (string | undefined)[] = [];
    const innerOther = otherHandler;
    otherHandler = (req, res) => {
      otherAuth.push(req.headers.authorization);
      innerOther(req, res);
    };
    return otherAuth;
  }
  const basicGate = (req: IncomingMessage, res: ServerResponse, pass: () => void): void => {
    if (req.headers.authorization === `Basic ${Buffer.from(`svc:${PASSWORD}`).toString('base64')}`) pass();
    else res.writeHead(401, { 'www-authenticate': 'Basic realm="wsdl"' }).end();
  };
  const noSecret = (r: Run): void => {
    expect(r.out + r.err).not.toContain(PASSWORD);
    for (const text of Object.values(snapshot(work))) expect(text).not.toContain(PASSWORD);
  };

  it('--user (password from SOAPBRIDGE_IMPORT_PASSWORD): Basic to the source host only, the secret written nowhere', async () => {
    const otherAuth = protect(basicGate);
    const refused = await cli(`${base}/svc/Service.svc?wsdl`, '--name', 'sap', '--config', configFile);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`HTTP 401 from ${base}/svc/Service.svc?wsdl (the server wants credentials: soapbridge import --user`);

    const r = await cliWith({ SOAPBRIDGE_IMPORT_PASSWORD: PASSWORD }, `${base}/svc/Service.svc?wsdl`, '--name', 'sap', '--user', 'svc', '--config', configFile);
    expect(r.err).not.toMatch(/refused|HTTP 401/); // not a bare 401: the random port may hold one
    expect(r.code).toBe(0);
    expect(Object.keys(snapshot(path.join(work, 'wsdl', 'sap')))).toHaveLength(6);
    // The schema on the other host was fetched, without the credentials.
    expect(otherAuth).toHaveLength(2);
    expect(otherAuth).toEqual([undefined, undefined]);
    noSecret(r);
  });

  it('user info in the URL works the same, and the URL is shown without it', async () => {
    const otherAuth = protect(basicGate);
    const url = `${base.replace('http://', `http://svc:${encodeURIComponent(PASSWORD)}@`)}/svc/Service.svc?wsdl`;
    const r = await cli(url, '--name', 'inurl', '--config', configFile);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`reading ${base}/svc/Service.svc?wsdl`);
    expect(otherAuth).toEqual([undefined, undefined]);
    noSecret(r);
  });

  it('--auth digest answers the challenge (RFC 7616, SHA-256)', async () => {
    const digest = rfc7616Server({ realm: 'wsdl', algorithm: 'SHA-256', qop: 'auth', users: { svc: PASSWORD } });
    protect((req, res, pass) => {
      // The RFC 7616 server answers 401s itself; a 200 means "authenticated": serve the document instead.
      let ok = false;
      const gate = {
        writeHead(status: number, headers?: Record<string, string>) {
          if (status === 200) ok = true;
          else res.writeHead(status, headers);
          return gate;
        },
        end(body?: string) {
          if (ok) pass();
          else res.end(body);
        },
      };
      digest.handler(req, gate as unknown as ServerResponse);
    });
    const r = await cli(`${base}/svc/Service.svc?wsdl`, '--name', 'dig', '--user', `svc:${PASSWORD}`, '--auth', 'digest', '--config', configFile);
    expect(r.err).not.toMatch(/refused|HTTP 401/); // not a bare 401: the random port may hold one
    expect(r.code).toBe(0);
    expect(digest.accepted).toBe(4); // the four documents of the source host
    noSecret(r);
  });

  it('bad --user/--auth combinations are usage errors', async () => {
    delete process.env['SOAPBRIDGE_IMPORT_PASSWORD'];
    // --auth alone; an unknown scheme; --user without a password and none in the environment.
    for (const args of [['--auth', 'digest'], ['--user', `svc:${PASSWORD}`, '--auth', 'kerberos'], ['--user', 'svc']]) {
      const r = await cli(`${base}/x?wsdl`, '--name', 'u', ...args, '--config', configFile);
      expect(r.code).toBe(2);
      expect(r.err).toContain('usage: soapbridge import');
      expect(r.err).not.toContain(PASSWORD);
    }
  });
});

describe('soapbridge import from an HTTPS URL with a private CA and a client certificate', () => {
  let pki: Pki;
  let httpsServer: HttpsServer;
  let url: string;
  let caFile: string;
  let client: { cert: string; key: string };
  beforeAll(async () => {
    pki = makePki();
    caFile = pki.ca('corp-ca');
    client = pki.leaf('importer', 'corp-ca', 'DNS:importer', 'clientAuth');
    const server = pki.leaf('wsdl-host', 'corp-ca', 'IP:127.0.0.1', 'serverAuth');
    // mTLS: the handshake fails without a certificate from the corporate CA.
    httpsServer = createHttpsServer({ cert: pki.read(server.cert), key: pki.read(server.key), ca: pki.read(caFile), requestCert: true, rejectUnauthorized: true }, (req, res) => {
      if (req.url === '/svc?wsdl') res.end(wsdl({ types: `<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:t" schemaLocation="types.xsd"/></xs:schema>` }));
      else if (req.url === '/types.xsd') res.end(xsd('urn:t', 'Ping'));
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => httpsServer.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(httpsServer.address() as AddressInfo).port}/svc?wsdl`;
  });
  afterAll(async () => {
    httpsServer.closeAllConnections();
    await new Promise((r) => httpsServer.close(r));
    pki.remove();
  });

  it('needs --ca for the private CA and --cert/--key for the client certificate; with both it imports', async () => {
    const before = snapshot(work);
    const untrusted = await cli(url, '--name', 'corp', '--config', configFile);
    expect(untrusted.code).toBe(1);
    expect(untrusted.err).toMatch(/cannot fetch: .*certificate/i);
    const noClientCert = await cli(url, '--name', 'corp', '--ca', caFile, '--config', configFile);
    expect(noClientCert.code).toBe(1);
    expect(noClientCert.err).toContain(`${url}: cannot fetch`);
    expect(snapshot(work)).toEqual(before);

    const r = await cli(url, '--name', 'corp', '--ca', caFile, '--cert', client.cert, '--key', client.key, '--config', configFile);
    expect(r.err).not.toMatch(/cannot fetch/);
    expect(r.code).toBe(0);
    expect(Object.keys(snapshot(path.join(work, 'wsdl', 'corp'))).sort()).toEqual(['svc_wsdl.wsdl', 'types.xsd']);
  });

  it('--cert without --key, or an unreadable file, is a usage error', async () => {
    for (const args of [['--cert', client.cert], ['--ca', path.join(root, 'no-such-ca.pem')]]) {
      const r = await cli(url, '--name', 'corp2', ...args, '--config', configFile);
      expect(r.code).toBe(2);
      expect(r.err).toContain('usage: soapbridge import');
    }
  });
});

describe('soapbridge import refusals write nothing', () => {
  it.each([
    ['malformed XML', (): string => source('bad/broken.wsdl', wsdl().replace('</wsdl:definitions>', '')), /broken\.wsdl: not well-formed XML: line \d+:\d+/],
    ['a non-WSDL root', (): string => source('bad/page.wsdl', '<html/>'), /page\.wsdl: root element <html>/],
    ['a broken reference', (): string => source('bad/ref.wsdl', wsdl({ xmlns: 'xmlns:nope="urn:nope"', element: 'nope:X' })), /ref\.wsdl: message "PingIn" part "parameters" references unknown element "\{urn:nope\}X": no schema in the bundle has namespace "urn:nope"/],
    ['a zip with a ../ entry', (): string => source('bad/slip.zip', makeZip([{ name: 'main.wsdl', data: wsdl() }, { name: '../../escaped.wsdl', data: wsdl() }])), /slip\.zip: refused zip archive: invalid relative path/],
    ['a zip with an absolute entry', (): string => source('bad/abs.zip', makeZip([{ name: 'main.wsdl', data: wsdl() }, { name: `${root}/escaped.wsdl`, data: wsdl() }])), /abs\.zip: refused zip archive: absolute path/],
    ['a zip bomb', (): string => source('bad/bomb.zip', makeZip([{ name: 'main.wsdl', data: wsdl({ types: `${pingSchema()}<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:b" schemaLocation="b.xsd"/></xs:schema>` }) }, { name: 'b.xsd', data: Buffer.alloc(20 << 20, 0x20) }])), /bomb\.zip!b\.xsd: entry is 20971520 bytes, over the 16777216-byte limit/],
    ['a zip without a WSDL', (): string => source('bad/none.zip', makeZip([{ name: 'a.xsd', data: xsd('urn:a', 'A') }])), /none\.zip: the archive contains no \.wsdl file/],
  ])('%s: exit 1, a message naming the file, no file written anywhere', async (_what, make, message) => {
    const src = make();
    const outside = snapshot(root);
    const r = await cli(src, '--name', 'bad', '--config', configFile);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(snapshot(root)).toEqual(outside);
  });

  it('DOCTYPE with external entities: refused, nothing fetched or written', async () => {
    const src = source('bad/xxe.wsdl', wsdl({ prolog: `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "${base}/xxe"><!ENTITY % p SYSTEM "${base}/p.dtd"> %p;]>`, address: 'http://b/&x;' }));
    const outside = snapshot(root);
    const r = await cli(src, '--name', 'xxe', '--config', configFile);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/xxe\.wsdl: DOCTYPE and entity declarations are not allowed/);
    expect(hits).toEqual([]);
    expect(snapshot(root)).toEqual(outside);
  });

  it('an invalid API name is refused before anything is read', async () => {
    const src = source('ok/a.wsdl', wsdl());
    const outside = snapshot(root);
    for (const name of ['../evil', 'a/b', '.hidden', '']) {
      const r = await cli(src, '--name', name, '--config', configFile);
      expect(r.code).not.toBe(0);
    }
    expect(snapshot(root)).toEqual(outside);
  });

  it('an API file the config refuses (a context clash) leaves no copied WSDL behind', async () => {
    const a = source('clash/a.wsdl', wsdl());
    expect((await cli(a, '--name', 'first', '--context', '/same', '--config', configFile)).code).toBe(0);
    const before = snapshot(work);
    const r = await cli(a, '--name', 'second', '--context', '/same', '--config', configFile);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/already served by first/);
    expect(snapshot(work)).toEqual(before);
    expect(readdirSync(path.join(work, 'wsdl'))).toEqual(['first']);
  });
});

describe('soapbridge import --force', () => {
  it('refuses to replace an existing API without --force (touching nothing), replaces it and its whole folder with it', async () => {
    const v1 = source('force/v1/svc.wsdl', wsdl({ types: `<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:t" schemaLocation="old.xsd"/></xs:schema>` }));
    source('force/v1/old.xsd', xsd('urn:t', 'Ping'));
    expect((await cli(v1, '--name', 'svc', '--config', configFile)).code).toBe(0);
    const first = snapshot(work);
    expect(Object.keys(first)).toContain('wsdl/svc/old.xsd');

    const v2 = source('force/v2/svc.wsdl', wsdl({ address: 'http://backend.example.invalid/v2' }));
    const again = await cli(v2, '--name', 'svc', '--config', configFile);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/API "svc" already exists \(use --force to replace it\)/);
    expect(again.err).not.toMatch(/loaded/); // refused before reading the source
    expect(snapshot(work)).toEqual(first);

    const forced = await cli(v2, '--name', 'svc', '--context', '/svc2', '--force', '--config', configFile);
    expect(forced.code).toBe(0);
    const after = snapshot(work);
    expect(Object.keys(after).sort()).toEqual(['config/apis/svc.yaml', 'config/soapbridge.yaml', 'wsdl/svc/svc.wsdl']);
    expect(after['wsdl/svc/svc.wsdl']).toContain('http://backend.example.invalid/v2');
    expect(loadConfig(configFile).apis.find((a) => a.config.name === 'svc')?.config.context).toBe('/svc2');
    expect(readdirSync(path.join(work, 'wsdl'))).toEqual(['svc']); // no staging or backup folders left
  });

  it('--force on a new name simply creates it', async () => {
    const src = source('force/new.wsdl', wsdl());
    expect((await cli(src, '--name', 'fresh', '--force', '--config', configFile)).code).toBe(0);
    expect(loadConfig(configFile).apis.map((a) => a.config.name)).toEqual(['fresh']);
  });

  it('a refused --force import keeps the previous API and folder', async () => {
    const good = source('keep/svc.wsdl', wsdl());
    expect((await cli(good, '--name', 'keep', '--config', configFile)).code).toBe(0);
    const before = snapshot(work);
    const bad = source('keep/bad.wsdl', '<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">');
    const r = await cli(bad, '--name', 'keep', '--force', '--config', configFile);
    expect(r.code).toBe(1);
    expect(snapshot(work)).toEqual(before);
  });
});

describe('after all of that', () => {
  it('the same process still imports', async () => {
    const src = source('last/ok.wsdl', `${wsdl()}`);
    const r = await cli(src, '--name', 'last', '--config', configFile);
    expect(r.code).toBe(0);
    expect(XSD).toBe('http://www.w3.org/2001/XMLSchema');
  });
});
