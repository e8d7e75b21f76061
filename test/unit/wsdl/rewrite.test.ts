import { bundleDocIndex, loadBundle, rewriteDocument, type WsdlBundle } from '../../../src/wsdl';
import { WsdlImportError } from '../../../src/wsdl/errors';
import { loadServedBundle, renderServed, servedBundle } from '../../../src/wsdl/served-docs';
import { fixture } from './helpers';

const BASE = 'http://localhost:8280/orders/v1';

function render(bundle: WsdlBundle, docPath: string, base = BASE): string {
  const index = bundleDocIndex(bundle);
  const doc = bundle.documents.get(docPath);
  if (!doc) throw new Error(docPath);
  return rewriteDocument(doc, bundle, { baseUrl: base, docUrl: (p) => (p === bundle.entry ? `${base}?wsdl` : `${base}?${bundle.documents.get(p)?.kind}=${index.get(p)}`) });
}

describe('rewriteDocument', () => {
  it('gives each non-entry document a stable small index', async () => {
    const b = await loadBundle(fixture('multi', 'main.wsdl'));
    expect([...bundleDocIndex(b)]).toEqual([
      ['abstract.wsdl', 0],
      ['schemas/chameleon.xsd', 1],
      ['schemas/common.xsd', 2],
      ['schemas/types.xsd', 3],
    ]);
  });

  it('rewrites every address (escaped) and nothing else', async () => {
    const b = await loadBundle(fixture('calculator', 'Calculator.wsdl'));
    const original = b.documents.get(b.entry)?.text ?? '';
    const out = rewriteDocument(b.documents.get(b.entry)!, b, { baseUrl: 'http://gw:8280/calc/v1?x=1&y=2', docUrl: () => 'unused' });
    expect(out.match(/location="[^"]*"/g)).toEqual(['location="http://gw:8280/calc/v1?x=1&amp;y=2"', 'location="http://gw:8280/calc/v1?x=1&amp;y=2"']);
    // Everything outside the two attribute values is byte-identical.
    const strip = (s: string): string => s.replace(/location="[^"]*"/g, 'location=""');
    expect(strip(out)).toBe(strip(original));
  });

  it('rewrites wsdl:import, xsd:import and xsd:include to bridge URLs, keeps built-in ones', async () => {
    const b = await loadBundle(fixture('multi', 'main.wsdl'));
    const main = render(b, 'main.wsdl');
    expect(main).toContain(`location="${BASE}?wsdl=0"`);
    expect(main).toContain(`<soap:address location="${BASE}"/>`);
    const types = render(b, 'schemas/types.xsd');
    expect(types).toContain(`<xs:include schemaLocation="${BASE}?xsd=1"/>`);
    expect(types).toContain(`schemaLocation="${BASE}?xsd=2"/>`);
    const common = render(b, 'schemas/common.xsd');
    expect(common).toContain(`schemaLocation="${BASE}?xsd=3"/>`);
    expect(common).toContain('schemaLocation="http://www.w3.org/2001/xml.xsd"'); // built in: left alone
    const abs = render(b, 'abstract.wsdl');
    expect(abs).toContain(`schemaLocation="${BASE}?xsd=3"/>`);
  });

  it('relabels a non-UTF-8 XML declaration as UTF-8 (the text goes out as UTF-8) and touches nothing else', async () => {
    const b = await loadBundle(fixture('calculator', 'Calculator.wsdl'));
    const rewrite = (text: string): string => rewriteDocument({ ...b.documents.get(b.entry)!, text }, b, { docUrl: () => '' });
    expect(rewrite(`<?xml version="1.0" encoding="ISO-8859-1" standalone="yes"?>\n<d>café</d>`)).toBe(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<d>café</d>`);
    expect(rewrite(`<?xml version='1.0' encoding='utf-16'?><d/>`)).toBe(`<?xml version='1.0' encoding='UTF-8'?><d/>`);
    for (const same of [`<?xml version="1.0" encoding="utf-8"?><d/>`, `<?xml version="1.0"?><d encoding="latin1"/>`, `<d/><?xml-stylesheet encoding="latin1"?>`]) expect(rewrite(same)).toBe(same);
  });

  it('is namespace-aware: same local names in other namespaces, comments and CDATA are untouched', async () => {
    const b = await loadBundle(fixture('multi', 'main.wsdl'));
    const doc = { ...b.documents.get('main.wsdl')!, text: '<d xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:o="urn:other"><!-- <soap:address location="c"/> --><o:address location="x"/><![CDATA[<soap:address location="y"/>]]><soap:address location=\'z\'/></d>' };
    expect(rewriteDocument(doc, b, { baseUrl: 'http://b', docUrl: () => '' })).toBe(
      '<d xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:o="urn:other"><!-- <soap:address location="c"/> --><o:address location="x"/><![CDATA[<soap:address location="y"/>]]><soap:address location=\'http://b\'/></d>',
    );
  });
});

/** servedBundle: each document rewritten once, then joined per base URL. */
describe('servedBundle', () => {
  it('renders for any base URL exactly what rewriteDocument renders for it', async () => {
    const b = await loadBundle(fixture('multi', 'main.wsdl'));
    const served = servedBundle(b);
    const index = bundleDocIndex(b);
    expect(Object.keys(served.docs).sort()).toEqual(['wsdl', 'wsdl=0', 'xsd=1', 'xsd=2', 'xsd=3']);
    // A Host header is the caller's choice: one that needs escaping must come out escaped.
    for (const base of [BASE, 'http://evil"<x>&y=\'1\':80/orders/v1']) {
      for (const docPath of b.documents.keys()) {
        const key = docPath === b.entry ? 'wsdl' : `${b.documents.get(docPath)!.kind}=${index.get(docPath)}`;
        expect(renderServed(served.docs[key]!, base)).toBe(render(b, docPath, base));
      }
    }
  });

  it('is the same made on a worker thread, and its digest follows the content', async () => {
    const entry = fixture('multi', 'main.wsdl');
    const inThread = await loadServedBundle(entry);
    expect(await loadServedBundle(entry, { offThread: true })).toEqual(inThread);
    expect((await loadServedBundle(fixture('calculator', 'Calculator.wsdl'))).digest).not.toBe(inThread.digest);
  });

  it('rejects with the WsdlImportError of the load on either side', async () => {
    for (const offThread of [false, true]) {
      const e: unknown = await loadServedBundle(fixture('bad', 'doctype.wsdl'), { offThread }).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(WsdlImportError);
      expect((e as WsdlImportError).reason).toMatch(/DOCTYPE/);
    }
  });
});
