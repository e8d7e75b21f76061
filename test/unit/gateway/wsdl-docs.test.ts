import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WsdlDocs, docRequest } from '../../../src/gateway/wsdl-docs';
import { fixture } from '../wsdl/helpers';

/** WsdlDocs: documents per base URL (Host header), kept within bounds the caller cannot lift. */
describe('WsdlDocs', () => {
  it('renders each document once per base URL and drops the oldest beyond 32 base URLs', async () => {
    const docs = new WsdlDocs(fixture('multi', 'main.wsdl'));
    const entry = docRequest('wsdl')!;
    const first = await docs.get(entry, 'http://host-0/orders/v1');
    expect(await docs.get(entry, 'http://host-0/orders/v1')).toBe(first);
    expect(first.body.toString()).toContain('<soap:address location="http://host-0/orders/v1"/>');
    for (let i = 1; i <= 32; i++) await docs.get(entry, `http://host-${i}/orders/v1`);
    const again = await docs.get(entry, 'http://host-0/orders/v1');
    expect(again).not.toBe(first);
    // Made again, the same bytes and the same ETag.
    expect(again.body.equals(first.body)).toBe(true);
    expect(again.etag).toBe(first.etag);
    expect((await docs.get(entry, 'http://host-32/orders/v1')).etag).not.toBe(first.etag);
  });

  it('keeps at most 32 MiB of rendered documents (a large WSDL: fewer base URLs)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wsdl-docs-'));
    try {
      const wsdl = path.join(dir, 'Calculator.wsdl');
      const text = readFileSync(fixture('calculator', 'Calculator.wsdl'), 'utf8').replace(/(<wsdl:definitions[^>]*>)/, `$1<wsdl:documentation>${'x'.repeat(2 * 1024 * 1024)}</wsdl:documentation>`);
      writeFileSync(wsdl, text);
      const docs = new WsdlDocs(wsdl);
      const entry = docRequest('wsdl')!;
      const first = await docs.get(entry, 'http://host-0/calc/v1');
      let last = first;
      // 16 copies of a little over 2 MiB: the first goes, though 16 base URLs are far below 32.
      for (let i = 1; i < 16; i++) last = await docs.get(entry, `http://host-${i}/calc/v1`);
      expect(await docs.get(entry, 'http://host-15/calc/v1')).toBe(last);
      expect(await docs.get(entry, 'http://host-0/calc/v1')).not.toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells an unknown document from a known one', async () => {
    const docs = new WsdlDocs(fixture('multi', 'main.wsdl'));
    expect((await docs.get(docRequest('xsd=3')!, 'http://h/o/v1')).body.toString()).toContain('schema');
    await expect(docs.get(docRequest('xsd=0')!, 'http://h/o/v1')).rejects.toMatchObject({ code: 'ROUTE_NOT_FOUND', message: "no document ?xsd=0 in this API's WSDL" });
  });
});
