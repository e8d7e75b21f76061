import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileModel, loadBundle, WsdlImportError } from '../../../src/wsdl';
import { pingSchema, wsdl } from '../../fixtures/import/wsdl-gen';
import { fixture } from './helpers';

function hasZipCli(): boolean {
  try {
    execFileSync('zip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function refusal(p: Promise<unknown>): Promise<WsdlImportError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WsdlImportError) return e;
    throw e;
  }
  throw new Error('expected a WsdlImportError');
}

describe('loadBundle', () => {
  it('follows wsdl:import, xsd:import and xsd:include once each, through a cycle', async () => {
    const bundle = await loadBundle(fixture('multi', 'main.wsdl'));
    expect(bundle.entry).toBe('main.wsdl');
    expect([...bundle.documents.keys()].sort()).toEqual(['abstract.wsdl', 'main.wsdl', 'schemas/chameleon.xsd', 'schemas/common.xsd', 'schemas/types.xsd']);
    expect(bundle.documents.get('schemas/common.xsd')?.imports).toEqual([{ location: 'types.xsd', target: 'schemas/types.xsd' }]);
    expect(bundle.documents.get('schemas/types.xsd')?.kind).toBe('xsd');
    // xml.xsd is built in: referenced by absolute URL, never fetched, not a problem.
    expect(bundle.skipped).toEqual([]);
    expect(bundle.missing).toEqual([]);
  });

  it('refuses DOCTYPE / entity declarations, naming the file', async () => {
    for (const f of ['doctype.wsdl', 'entity-bomb.wsdl']) {
      const e = await refusal(loadBundle(fixture('bad', f)));
      expect(e.file).toBe(f);
      expect(e.message).toMatch(/DOCTYPE and entity declarations are not allowed/);
    }
  });

  it('refuses undeclared prefixes as not namespace-well-formed', async () => {
    const e = await refusal(loadBundle(fixture('bad', 'undeclared-prefix.wsdl')));
    expect(e.message).toMatch(/undeclared-prefix\.wsdl: not well-formed XML: .*unbound namespace prefix: "soap"/);
  });

  it('refuses remote imports from a local file by default, skips them on request', async () => {
    const e = await refusal(loadBundle(fixture('bad', 'remote-import.wsdl')));
    expect(e.message).toMatch(/remote-import\.wsdl: xsd-import of remote location "http:\/\/schemas\.example\.invalid\/remote\.xsd" refused/);
    const b = await loadBundle(fixture('bad', 'remote-import.wsdl'), { remoteImports: 'skip' });
    expect(b.skipped).toEqual([{ from: 'remote-import.wsdl', location: 'http://schemas.example.invalid/remote.xsd', namespace: 'urn:remote' }]);
  });

  it('enforces the size cap', async () => {
    const e = await refusal(loadBundle(fixture('calculator', 'Calculator.wsdl'), { maxBytes: 100 }));
    expect(e.reason).toMatch(/over the 100-byte limit/);
  });

  describe('from a URL', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/hang') return; // never answers
        const latin1 = /^\/latin1(-declared)?\.wsdl$/.exec(req.url ?? '');
        if (latin1) {
          // An enumeration value with é: bytes in ISO-8859-1, the charset only in the HTTP header
          // (or, for -declared, UTF-8 bytes declared as such behind a wrong header).
          const prolog = latin1[1] ? '<?xml version="1.0" encoding="UTF-8"?>' : '';
          const kind = '<xs:schema targetNamespace="urn:k"><xs:simpleType name="Kind"><xs:restriction base="xs:string"><xs:enumeration value="café"/></xs:restriction></xs:simpleType></xs:schema>';
          const text = wsdl({ prolog, types: pingSchema() + kind });
          res.writeHead(200, { 'content-type': 'text/xml; charset=ISO-8859-1' });
          res.end(Buffer.from(text, latin1[1] ? 'utf8' : 'latin1'));
          return;
        }
        const files: Record<string, string> = { '/svc/main.wsdl': 'multi/main.wsdl', '/svc/abstract.wsdl': 'multi/abstract.wsdl', '/svc/schemas/types.xsd': 'multi/schemas/types.xsd', '/svc/schemas/common.xsd': 'multi/schemas/common.xsd', '/svc/schemas/chameleon.xsd': 'multi/schemas/chameleon.xsd' };
        const f = files[req.url ?? ''];
        if (!f) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'text/xml' });
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        res.end(require('node:fs').readFileSync(fixture(f)));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });

    it('loads the whole bundle over http with relative paths', async () => {
      const b = await loadBundle(`${base}/svc/main.wsdl`);
      expect(b.entry).toBe('main.wsdl');
      expect(b.documents.size).toBe(5);
      expect(b.documents.has('schemas/types.xsd')).toBe(true);
    });

    it('reads a document without its own encoding by the HTTP charset, a declared one by its declaration', async () => {
      for (const name of ['latin1', 'latin1-declared']) {
        const b = await loadBundle(`${base}/${name}.wsdl`);
        const text = b.documents.get(`${name}.wsdl`)?.text ?? '';
        expect(text).toContain('value="café"');
        expect(JSON.stringify(compileModel(b).schema.types['{urn:k}Kind'])).toContain('"enumeration":["café"]');
      }
    });

    it('times out on a URL that hangs', async () => {
      const e = await refusal(loadBundle(`${base}/hang`, { fetchTimeoutMs: 300 }));
      expect(e.message).toMatch(/cannot fetch: no complete answer within 300 ms/);
    });
  });

  (hasZipCli() ? describe : describe.skip)('from a .zip', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'wsdl-zip-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('finds the shallowest .wsdl that no other imports, and its imports', async () => {
      const zip = path.join(dir, 'orders.zip');
      execFileSync('zip', ['-qr', zip, 'main.wsdl', 'abstract.wsdl', 'schemas'], { cwd: fixture('multi') });
      const b = await loadBundle(zip);
      expect(b.entry).toBe('main.wsdl');
      expect(b.documents.size).toBe(5);
    });

    it('lists candidates when several WSDLs sit at the same depth', async () => {
      const zip = path.join(dir, 'two.zip');
      execFileSync('zip', ['-qj', zip, fixture('calculator', 'Calculator.wsdl'), fixture('rpc-encoded', 'Echo.wsdl')]);
      const e = await refusal(loadBundle(zip));
      expect(e.message).toMatch(/several candidate entry WSDLs at the same depth: Calculator\.wsdl, Echo\.wsdl/);
    });

    it('refuses an import that climbs out of the archive (zip slip)', async () => {
      const work = path.join(dir, 'slip');
      mkdirSync(path.join(work, 'a'), { recursive: true });
      writeFileSync(path.join(work, 'a', 'evil.wsdl'), '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"><import namespace="x" location="../../outside.wsdl"/></definitions>');
      const zip = path.join(dir, 'slip.zip');
      execFileSync('zip', ['-qr', zip, 'a'], { cwd: work });
      const e = await refusal(loadBundle(zip));
      expect(e.message).toMatch(/points outside the archive/);
    });
  });
});
