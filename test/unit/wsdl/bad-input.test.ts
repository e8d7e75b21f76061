/**
 * Hostile and broken input for the WSDL importer (issue 3, "Bad input"): every case ends in a
 * WsdlImportError naming the file and the problem (or a clean import), never a crash, a hang, a
 * resolved entity or a file outside the source. All documents are generated in temp folders.
 */
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileModel, loadBundle, WsdlImportError, type LoadOptions, type WsdlModel } from '../../../src/wsdl';
import { makeZip } from '../../fixtures/import/zip-writer';
import { pingSchema, wsdl, xsd, XSD } from '../../fixtures/import/wsdl-gen';

async function refusal(p: Promise<unknown>): Promise<WsdlImportError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WsdlImportError) return e;
    throw new Error(`expected a WsdlImportError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  throw new Error('expected a WsdlImportError, but the import succeeded');
}

async function importFile(file: string, opts: LoadOptions = {}): Promise<WsdlModel> {
  return compileModel(await loadBundle(file, opts));
}

/** Every file below `dir`, relative, sorted (to prove nothing was written). */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

let tmp: string;
let n = 0;
/** Writes `files` (relative path → text) into a fresh folder and returns the folder. */
function folder(files: Record<string, string | Buffer>): string {
  const dir = path.join(tmp, `case-${++n}`);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

// A loopback server that counts every request, for "never fetched" assertions and URL failures.
let server: Server;
let base: string;
const hits: string[] = [];
let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(404).end();

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'wsdl-bad-input-'));
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  hits.length = 0;
  handler = (_req, res) => res.writeHead(404).end();
});

describe('malformed and non-WSDL XML', () => {
  it.each([
    ['an unclosed element', wsdl().replace('</wsdl:definitions>', ''), /not well-formed XML: line \d+:\d+/],
    ['mismatched tags', wsdl().replace('</wsdl:types>', '</wsdl:typo>'), /not well-formed XML: line \d+:\d+: .*wsdl:typo/],
    ['an unquoted attribute', wsdl().replace('name="PingService"', 'name=PingService'), /not well-formed XML: line \d+:\d+/],
    ['a duplicate attribute', wsdl().replace('name="PingService"', 'name="PingService" name="x"'), /not well-formed XML: line \d+:\d+/],
    ['a bare ampersand', wsdl().replace('http://backend.example.invalid/ping', 'http://b/p?a=1&b=2'), /not well-formed XML: line \d+:\d+/],
    ['text after the root', `${wsdl()}<extra/>`, /not well-formed XML/],
    ['an empty file', '', /not well-formed XML|no root element/],
    ['binary junk', Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x50, 0x4b, 0x03, 0x04]), /not well-formed XML|no root element/],
    ['an undefined entity', wsdl().replace('<wsdl:types>', '<wsdl:documentation>&nbsp;</wsdl:documentation><wsdl:types>'), /line \d+:\d+: undefined entity "&nbsp;"/],
    ['"--" inside a comment', wsdl().replace('<wsdl:types>', '<!-- a -- b --><wsdl:types>'), /line \d+:\d+: "--" is not allowed inside a comment/],
    ['"]]>" in text', wsdl().replace('<wsdl:types>', '<wsdl:documentation>a]]>b</wsdl:documentation><wsdl:types>'), /"]]>" is not allowed/],
    ['a control character', wsdl().replace('PingService', 'Ping\u0001Service'), /disallowed character U\+0001/],
    ['a misplaced XML declaration', `<!-- c -->${wsdl()}`, /an XML declaration must be at the start of the document/],
    ['two root elements', `${wsdl()}${wsdl().replace(/^<\?xml[^>]*>/, '')}`, /second root element/],
    ['an undeclared prefix', wsdl().replace('<wsdl:types>', '<wsdl:types><bogus:x/>'), /unbound namespace prefix: "bogus"/],
  ])('refuses %s, naming the file and the position', async (_what, text, reason) => {
    const dir = folder({ 'svc.wsdl': text });
    const e = await refusal(importFile(path.join(dir, 'svc.wsdl')));
    expect(e.file).toBe('svc.wsdl');
    expect(e.message.startsWith('svc.wsdl: ')).toBe(true);
    expect(e.reason).toMatch(reason);
  });

  it('refuses malformed XML in an imported schema, naming that schema', async () => {
    const dir = folder({
      'svc.wsdl': wsdl({ types: `<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:t" schemaLocation="types/t.xsd"/></xs:schema>` }),
      'types/t.xsd': '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="Ping"></xs:schema>',
    });
    const e = await refusal(importFile(path.join(dir, 'svc.wsdl')));
    expect(e.file).toBe('types/t.xsd');
    expect(e.reason).toMatch(/not well-formed XML: line 1:\d+/);
  });

  it.each([
    ['an HTML page', '<html><body>Service unavailable</body></html>', /root element <html> in namespace "" is not a WSDL 1\.1 <definitions>/],
    ['a SOAP fault', '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault/></s:Body></s:Envelope>', /root element <Envelope> .* is not a WSDL 1\.1 <definitions>/],
    ['a bare schema', xsd('urn:t', 'Ping'), /root element <schema> .* is not a WSDL 1\.1 <definitions>/],
    ['a WSDL 1.1 <description> (wrong namespace)', '<description xmlns="http://schemas.xmlsoap.org/wsdl/"/>', /root element <description> .* is not a WSDL 1\.1 <definitions> .* or a WSDL 2\.0 <description>/],
  ])('refuses %s as the entry, naming the root element', async (_what, text, reason) => {
    const dir = folder({ 'svc.wsdl': text });
    const e = await refusal(importFile(path.join(dir, 'svc.wsdl')));
    expect(e.file).toBe('svc.wsdl');
    expect(e.reason).toMatch(reason);
  });

  it('imports an empty WSDL 2.0 <description/> as an empty model (nothing to serve, nothing wrong)', async () => {
    const dir = folder({ 'svc.wsdl': '<description xmlns="http://www.w3.org/ns/wsdl"/>' });
    const m = await importFile(path.join(dir, 'svc.wsdl'));
    expect(m).toMatchObject({ wsdlVersion: '2.0', targetNamespace: '', services: [], bindings: [], portTypes: [], messages: [], operations: [], unsupported: [] });
  });
});

describe('DOCTYPE and entities: refused, never resolved', () => {
  // The importer reads local files synchronously (src/wsdl/load/stores.ts); spy on the real module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const realFs = require('node:fs') as typeof import('node:fs');
  let readFile: jest.SpyInstance;
  beforeEach(() => {
    readFile = jest.spyOn(realFs, 'readFileSync');
  });
  afterEach(() => readFile.mockRestore());

  const secret = (): string => path.join(tmp, 'secret.txt');

  const cases = (): [string, string][] => [
    ['an external general entity (http)', `<!DOCTYPE d [<!ENTITY x SYSTEM "${base}/entity">]>`],
    ['an external general entity (file)', `<!DOCTYPE d [<!ENTITY x SYSTEM "file://${secret()}">]>`],
    ['an external parameter entity', `<!DOCTYPE d [<!ENTITY % p SYSTEM "${base}/param.dtd"> %p;]>`],
    ['an external DTD subset', `<!DOCTYPE definitions SYSTEM "${base}/external.dtd">`],
    ['a public DTD', `<!DOCTYPE definitions PUBLIC "-//X//DTD X//EN" "${base}/public.dtd">`],
    ['an internal entity', '<!DOCTYPE d [<!ENTITY x "expanded">]>'],
  ];

  it('refuses every DOCTYPE form with a clear message, without a request or a file read', async () => {
    writeFileSync(secret(), 'TOP-SECRET');
    for (const [what, prolog] of cases()) {
      const text = wsdl({ prolog: `<?xml version="1.0"?>\n${prolog}`, address: 'http://b/&x;' });
      const dir = folder({ 'svc.wsdl': text });
      readFile.mockClear();
      const e = await refusal(importFile(path.join(dir, 'svc.wsdl')));
      expect([what, e.file]).toEqual([what, 'svc.wsdl']);
      expect(e.reason).toMatch(/DOCTYPE and entity declarations are not allowed/);
      expect(e.message).not.toMatch(/TOP-SECRET|expanded/);
      expect(readFile.mock.calls.map((c) => String(c[0])).filter((f) => f.startsWith(tmp))).toEqual([path.join(dir, 'svc.wsdl')]);
    }
    expect(hits).toEqual([]);
  });

  it('refuses a DOCTYPE in an imported schema, naming that schema, and fetches nothing for it', async () => {
    const dir = folder({
      'svc.wsdl': wsdl({ types: `<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:t" schemaLocation="t.xsd"/></xs:schema>` }),
      't.xsd': `<?xml version="1.0"?><!DOCTYPE schema SYSTEM "${base}/schema.dtd">${xsd('urn:t', 'Ping').replace(/^<\?xml[^>]*>/, '')}`,
    });
    const e = await refusal(importFile(path.join(dir, 'svc.wsdl')));
    expect(e.file).toBe('t.xsd');
    expect(e.reason).toMatch(/DOCTYPE/);
    expect(hits).toEqual([]);
  });

  it('refuses a DOCTYPE in a document served over http (only the documents themselves are requested)', async () => {
    handler = (req, res) => {
      if (req.url === '/svc?wsdl') res.writeHead(200, { 'content-type': 'text/xml' }).end(wsdl({ prolog: `<!DOCTYPE d [<!ENTITY x SYSTEM "${base}/entity">]>`, address: 'http://b/&x;' }));
      else res.writeHead(404).end();
    };
    const e = await refusal(importFile(`${base}/svc?wsdl`));
    expect(e.reason).toMatch(/DOCTYPE and entity declarations are not allowed/);
    expect(hits).toEqual(['/svc?wsdl']);
  });

  it('refuses an entity-expansion bomb quickly and without growing memory', async () => {
    const levels = Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY l0 "lol">${levels}]>\n${wsdl({ address: 'http://b/&l10;' }).replace(/^<\?xml[^>]*>/, '')}`;
    const dir = folder({ 'bomb.wsdl': bomb });
    const before = process.memoryUsage().heapUsed;
    const started = Date.now();
    const e = await refusal(importFile(path.join(dir, 'bomb.wsdl')));
    expect(e.file).toBe('bomb.wsdl');
    expect(e.reason).toMatch(/DOCTYPE and entity declarations are not allowed/);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('deep nesting and long import chains', () => {
  /** `levels` xs:element declarations, each with an anonymous complexType holding the next. */
  function nestedSchema(levels: number): string {
    let inner = '<xs:element name="leaf" type="xs:string"/>';
    for (let i = levels; i >= 1; i--) inner = `<xs:element name="e${i}"><xs:complexType><xs:sequence>${inner}</xs:sequence></xs:complexType></xs:element>`;
    return `<xs:schema targetNamespace="urn:t" elementFormDefault="qualified"><xs:element name="Ping"><xs:complexType><xs:sequence>${inner}</xs:sequence></xs:complexType></xs:element></xs:schema>`;
  }

  it('imports a schema with 100 levels of nested element declarations', async () => {
    const dir = folder({ 'deep.wsdl': wsdl({ types: nestedSchema(100) }) });
    const model = await importFile(path.join(dir, 'deep.wsdl'));
    expect(model.operations.map((o) => o.name)).toEqual(['Ping']);
  });

  it('imports 100 levels of plain element nesting (an annotation)', async () => {
    const deep = `${'<x:n xmlns:x="urn:n">'.repeat(1)}${'<x:n>'.repeat(99)}${'</x:n>'.repeat(100)}`;
    const dir = folder({ 'deep.wsdl': wsdl({ types: pingSchema().replace('<xs:element name="Ping">', `<xs:annotation><xs:appinfo>${deep}</xs:appinfo></xs:annotation><xs:element name="Ping">`) }) });
    const model = await importFile(path.join(dir, 'deep.wsdl'));
    expect(model.operations).toHaveLength(1);
  });

  it('imports 320 levels of nested element declarations (just under the nesting cap), no stack overflow in the compiler', async () => {
    const dir = folder({ 'deep.wsdl': wsdl({ types: nestedSchema(320) }) });
    const model = await importFile(path.join(dir, 'deep.wsdl'));
    expect(model.operations).toHaveLength(1);
    expect(JSON.stringify(model).length).toBeGreaterThan(1000);
  });

  it.each([1000, 10_000, 100_000])('refuses %i levels of nesting cleanly (no stack overflow)', async (levels) => {
    const dir = folder({ 'deeper.wsdl': wsdl({ types: nestedSchema(levels) }) });
    const started = Date.now();
    const e = await refusal(importFile(path.join(dir, 'deeper.wsdl')));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(e.file).toBe('deeper.wsdl');
    expect(e.reason).toMatch(/nested deeper than \d+ levels/);
  });

  it('imports a 50-deep xsd:import chain', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) {
      const next = i < 49 ? `<xs:import namespace="urn:c${i + 1}" schemaLocation="${i % 2 ? '' : 'sub/'}c${i + 1}.xsd"/>` : '';
      files[`${i % 2 ? 'sub/' : ''}c${i}.xsd`] = xsd(`urn:c${i}`, `E${i}`, next).replace('<xs:schema ', '<xs:schema ');
    }
    // Alternate folders so relative locations climb too (sub/c1.xsd imports ../c2.xsd).
    for (let i = 1; i < 49; i += 2) files[`sub/c${i}.xsd`] = (files[`sub/c${i}.xsd`] as string).replace(`schemaLocation="c${i + 1}.xsd"`, `schemaLocation="../c${i + 1}.xsd"`);
    files['chain.wsdl'] = wsdl({
      xmlns: 'xmlns:c49="urn:c49"',
      types: `<xs:schema targetNamespace="urn:t"><xs:import namespace="urn:c0" schemaLocation="c0.xsd"/><xs:import namespace="urn:c49"/></xs:schema>`,
      element: 'c49:E49',
    });
    const dir = folder(files);
    const bundle = await loadBundle(path.join(dir, 'chain.wsdl'));
    expect(bundle.documents.size).toBe(51);
    expect(bundle.missing).toEqual([]);
    const model = compileModel(bundle);
    expect(model.operations).toHaveLength(1);
  });

  it('imports a 50-deep wsdl:import chain', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) {
      const imp = i < 49 ? `<wsdl:import namespace="urn:w${i + 1}" location="w${i + 1}.wsdl"/>` : '';
      files[`w${i}.wsdl`] = `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:w${i}">${imp}</wsdl:definitions>`;
    }
    files['top.wsdl'] = wsdl({ imports: '<wsdl:import namespace="urn:w0" location="w0.wsdl"/>' });
    const model = await importFile(path.join(folder(files), 'top.wsdl'));
    expect(model.operations).toHaveLength(1);
  });

  it('imports through import cycles (xsd ↔ xsd, wsdl ↔ wsdl, a document importing itself)', async () => {
    const dir = folder({
      'a.wsdl': wsdl({ imports: '<wsdl:import namespace="urn:b" location="b.wsdl"/><wsdl:import namespace="urn:t" location="a.wsdl"/>', types: `<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:t" schemaLocation="x.xsd"/></xs:schema>` }),
      'b.wsdl': '<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:b"><wsdl:import namespace="urn:t" location="a.wsdl"/></wsdl:definitions>',
      'x.xsd': xsd('urn:t', 'Ping', '<xs:import namespace="urn:y" schemaLocation="y.xsd"/>'),
      'y.xsd': xsd('urn:y', 'Y', '<xs:import namespace="urn:t" schemaLocation="x.xsd"/>'),
    });
    const bundle = await loadBundle(path.join(dir, 'a.wsdl'));
    expect([...bundle.documents.keys()].sort()).toEqual(['a.wsdl', 'b.wsdl', 'x.xsd', 'y.xsd']);
    expect(compileModel(bundle).operations).toHaveLength(1);
  });

  it('refuses a bundle with more documents than the cap, naming the importing file', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`c${i}.xsd`] = xsd(`urn:c${i}`, `E${i}`, `<xs:import namespace="urn:c${i + 1}" schemaLocation="c${i + 1}.xsd"/>`);
    files['top.wsdl'] = wsdl({ types: `${pingSchema()}<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:c0" schemaLocation="c0.xsd"/></xs:schema>` });
    const e = await refusal(loadBundle(path.join(folder(files), 'top.wsdl'), { maxDocuments: 10 }));
    expect(e.reason).toMatch(/more than 10 documents in the bundle/);
  });
});

describe('.zip archives', () => {
  const good = (): { name: string; data: string }[] => [
    { name: 'svc/main.wsdl', data: wsdl({ types: `<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:t" schemaLocation="t.xsd"/></xs:schema>`, element: 'tns:Ping' }) },
    { name: 'svc/t.xsd', data: xsd('urn:t', 'Ping') },
  ];
  function zipFile(entries: Parameters<typeof makeZip>[0], name = 'upload.zip'): { file: string; dir: string } {
    const dir = folder({});
    mkdirSync(path.join(dir, 'in'), { recursive: true });
    const file = path.join(dir, 'in', name);
    writeFileSync(file, makeZip(entries));
    return { file, dir };
  }

  it('imports a well-formed archive written by the test zip writer', async () => {
    const { file } = zipFile(good());
    const bundle = await loadBundle(file);
    expect(bundle.entry).toBe('main.wsdl');
    expect(compileModel(bundle).operations).toHaveLength(1);
  });

  it.each([
    ['a ../ entry', '../evil.wsdl'],
    ['a nested ../ entry', 'svc/../../evil.wsdl'],
    ['an absolute entry', '/tmp/evil.wsdl'],
    ['a drive-letter entry', 'C:/evil.wsdl'],
    ['a backslash ../ entry', '..\\evil.wsdl'],
  ])('refuses %s (zip slip) and writes nothing', async (_what, name) => {
    const { file, dir } = zipFile([...good(), { name, data: wsdl() }]);
    const before = tree(path.dirname(dir));
    const e = await refusal(loadBundle(file));
    expect(e.file).toBe('upload.zip');
    expect(e.reason).toMatch(/refused zip archive: .*(invalid relative path|absolute path|invalid characters|escapes the archive)/);
    expect(tree(path.dirname(dir))).toEqual(before);
  });

  it('refuses an import location that climbs out of the archive', async () => {
    const { file } = zipFile([{ name: 'a/main.wsdl', data: wsdl({ types: `<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:t" schemaLocation="../../t.xsd"/></xs:schema>` }) }]);
    const e = await refusal(loadBundle(file));
    expect(e.reason).toMatch(/import location "..\/..\/t.xsd" points outside the archive/);
  });

  it('refuses an entry whose declared size is over the cap, before inflating it (zip bomb)', async () => {
    const huge = Buffer.alloc(40 * 1024 * 1024, 0x20); // 40 MiB of spaces deflate to ~40 KiB
    const { file } = zipFile([
      { name: 'svc/main.wsdl', data: wsdl({ types: `${pingSchema()}<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:b" schemaLocation="bomb.xsd"/></xs:schema>` }) },
      { name: 'svc/bomb.xsd', data: huge },
    ]);
    const started = Date.now();
    const e = await refusal(loadBundle(file));
    expect(e.file).toBe('upload.zip!svc/bomb.xsd');
    expect(e.reason).toBe('entry is 41943040 bytes, over the 16777216-byte limit');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses an entry that inflates past its forged header size, without inflating it all', async () => {
    const huge = Buffer.alloc(40 * 1024 * 1024, 0x20);
    const { file } = zipFile([
      { name: 'main.wsdl', data: wsdl({ types: `${pingSchema()}<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:b" schemaLocation="bomb.xsd"/></xs:schema>` }) },
      { name: 'bomb.xsd', data: huge, declaredSize: 1000 },
    ]);
    const e = await refusal(loadBundle(file));
    expect(e.file).toBe('upload.zip!bomb.xsd');
    expect(e.reason).toBe('entry inflates past the size its header declares (1000 bytes): refused as a zip bomb');
  });

  it('refuses an archive whose entries together expand past maxTotalBytes', async () => {
    const chunk = `<xs:schema xmlns:xs="${XSD}" targetNamespace="urn:p">${' '.repeat(900 * 1024)}</xs:schema>`;
    const entries = [{ name: 'main.wsdl', data: wsdl({ types: `${pingSchema()}<xs:schema targetNamespace="urn:x">${[0, 1, 2, 3, 4].map((i) => `<xs:import namespace="urn:p" schemaLocation="p${i}.xsd"/>`).join('')}</xs:schema>` }) }];
    for (let i = 0; i < 5; i++) entries.push({ name: `p${i}.xsd`, data: chunk });
    const { file } = zipFile(entries);
    const e = await refusal(loadBundle(file, { maxBytes: 1024 * 1024, maxTotalBytes: 3 * 1024 * 1024 }));
    expect(e.reason).toMatch(/(archive expands beyond the size limit|bundle exceeds 3145728 bytes)/);
  });

  it('refuses an archive with no WSDL, listing nothing to import', async () => {
    const { file } = zipFile([{ name: 'readme.txt', data: 'hello' }, { name: 't.xsd', data: xsd('urn:t', 'Ping') }]);
    const e = await refusal(loadBundle(file));
    expect(e.message).toBe('upload.zip: the archive contains no .wsdl file');
  });

  it('refuses an archive with several candidate WSDLs, listing them', async () => {
    const { file } = zipFile([{ name: 'b.wsdl', data: wsdl() }, { name: 'a.wsdl', data: wsdl() }, { name: 'deeper/c.wsdl', data: wsdl() }]);
    const e = await refusal(loadBundle(file));
    expect(e.message).toBe('upload.zip: several candidate entry WSDLs at the same depth: a.wsdl, b.wsdl');
  });

  it('refuses a file that is not a zip archive', async () => {
    const dir = folder({ 'x.zip': 'this is not a zip' });
    const e = await refusal(loadBundle(path.join(dir, 'x.zip')));
    expect(e.message).toMatch(/^x\.zip: not a readable zip archive: /);
  });
});

describe('WSDL URLs that misbehave', () => {
  it('times out on a URL that never answers, with a clear message', async () => {
    handler = () => undefined;
    const started = Date.now();
    const e = await refusal(loadBundle(`${base}/hang?wsdl`, { fetchTimeoutMs: 300 }));
    expect(e.file).toBe(`${base}/hang?wsdl`);
    expect(e.reason).toBe('cannot fetch: no complete answer within 300 ms');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('times out on a body that trickles forever', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.write('<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">');
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(' ')), 50);
      res.on('close', () => clearInterval(t));
    };
    const e = await refusal(loadBundle(`${base}/slow`, { fetchTimeoutMs: 400 }));
    expect(e.reason).toBe('cannot fetch: no complete answer within 400 ms');
  });

  it('reports a 404 with the URL', async () => {
    const e = await refusal(loadBundle(`${base}/missing.wsdl`));
    expect(e.message).toBe(`${base}/missing.wsdl: HTTP 404 from ${base}/missing.wsdl`);
  });

  it('an imported schema the server does not have (404) is a missing import, as a missing file is', async () => {
    handler = (req, res) => {
      if (req.url === '/svc.wsdl') res.writeHead(200).end(wsdl({ types: `<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:t" schemaLocation="gone.xsd"/></xs:schema>` }));
      else if (req.url === '/unused.wsdl') res.writeHead(200).end(wsdl({ types: `${pingSchema()}<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:u" schemaLocation="gone.xsd"/></xs:schema>` }));
      else res.writeHead(404).end();
    };
    // 1. Something refers into it: refused, naming the import and the document that made it.
    const e = await refusal(importFile(`${base}/svc.wsdl`));
    expect(e.message).toContain('references unknown element "{urn:t}Ping"');
    expect(e.message).toContain('these imports were not found: "gone.xsd" (from svc.wsdl)');
    // 2. Nothing does: imported, the missing import reported.
    const model = compileModel(await loadBundle(`${base}/unused.wsdl`));
    expect(model.operations.map((o) => o.name)).toEqual(['Ping']);
    expect(model.unsupported.map((u) => u.construct)).toEqual(['missing import: "gone.xsd" not found']);
  });

  it('refuses a huge body announced by Content-Length without reading it', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml', 'content-length': String(512 * 1024 * 1024) });
      res.write('<x/>');
    };
    const e = await refusal(loadBundle(`${base}/huge`, { maxBytes: 1024 * 1024 }));
    expect(e.reason).toBe('document is 536870912 bytes, over the 1048576-byte limit');
  });

  it('refuses a huge chunked body once it passes the cap', async () => {
    let sent = 0;
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      const block = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (!res.destroyed && sent < 256 * 1024 * 1024) {
          sent += block.length;
          if (!res.write(block)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
    };
    const e = await refusal(loadBundle(`${base}/chunked`, { maxBytes: 1024 * 1024 }));
    expect(e.reason).toBe('document exceeds the 1048576-byte limit');
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses an HTML page (a single sign-on redirect, an error page) or JSON saying what it is', async () => {
    handler = (req, res) => {
      if (req.url?.startsWith('/login')) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('\n<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form><input name=user></form></body></html>');
      else if (req.url === '/down') res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><p>Service unavailable</p></body></html>');
      else if (req.url === '/json') res.writeHead(200, { 'content-type': 'application/json' }).end('{"error":"no"}');
      else if (req.url === '/wsdl-as-html') res.writeHead(200, { 'content-type': 'text/html' }).end(wsdl());
      else res.writeHead(302, { location: `/login?return=${encodeURIComponent(req.url ?? '')}` }).end();
    };
    const advice = ', not a WSDL or XSD: a login or error page? (a source behind authentication: soapbridge import --user, or "auth" in POST /import)';
    expect((await refusal(loadBundle(`${base}/svc?wsdl`))).reason).toBe(`the server answered an HTML page (text/html) (redirected to ${base}/login?return=%2Fsvc%3Fwsdl)${advice}`);
    expect((await refusal(loadBundle(`${base}/down`))).reason).toBe(`the server answered an HTML page (text/html)${advice}`);
    expect((await refusal(loadBundle(`${base}/json`))).reason).toBe(`the server answered JSON (application/json)${advice}`);
    // A WSDL with the wrong Content-Type is still a WSDL.
    expect((await loadBundle(`${base}/wsdl-as-html`)).documents.size).toBe(1);
  });

  it('refuses a redirect loop', async () => {
    handler = (_req, res) => res.writeHead(302, { location: '/loop' }).end();
    const e = await refusal(loadBundle(`${base}/loop`));
    expect(e.reason).toMatch(/more than 5 redirects/);
  });

  it('refuses a non-http scheme in a URL bundle', async () => {
    handler = (_req, res) => res.writeHead(200).end(wsdl({ types: `<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:t" schemaLocation="ftp://example.invalid/t.xsd"/></xs:schema>` }));
    const e = await refusal(loadBundle(`${base}/svc.wsdl`));
    expect(e.message).toMatch(/ftp:\/\/example\.invalid\/t\.xsd/);
  });
});

describe('after all of that', () => {
  it('still imports a good WSDL in the same process', async () => {
    const model = await importFile(path.join(folder({ 'ok.wsdl': wsdl() }), 'ok.wsdl'));
    expect(model.operations.map((o) => o.name)).toEqual(['Ping']);
  });
});
