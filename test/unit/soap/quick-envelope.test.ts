import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { quickEnvelope } from '../../../src/soap/quick-envelope';
import { EnvelopeInspector, type EnvelopeStart } from '../../../src/soap/envelope-inspector';
import type { SoapVersion } from '../../../src/errors/to-soap-fault';

const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const S12 = 'http://www.w3.org/2003/05/soap-envelope';

/** What the full saxes inspector says: the start, or the error code. */
function full(text: string, v: SoapVersion): EnvelopeStart | string {
  try {
    const i = new EnvelopeInspector(v, () => undefined);
    i.write(Buffer.from(text, 'utf8'));
    return i.end();
  } catch (e) {
    return (e as { code?: string }).code ?? 'error';
  }
}

const good11 = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${S11}"><soap:Header><h:t xmlns:h="urn:h" soap:mustUnderstand="0">x &amp; y</h:t></soap:Header><soap:Body><Add xmlns="http://tempuri.org/"><intA>1</intA><intB a='2' b=">">2 &lt; 3</intB><e/></Add></soap:Body></soap:Envelope>`;

describe('quickEnvelope (conservative subset check)', () => {
  it('answers what the inspector answers on plain envelopes', () => {
    const cases: [string, SoapVersion][] = [
      [good11, '1.1'],
      [`<e:Envelope xmlns:e="${S12}"><e:Body><m:Op xmlns:m="urn:m"/></e:Body></e:Envelope>`, '1.2'],
      [`<e:Envelope xmlns:e="${S11}"><e:Body/></e:Envelope>`, '1.1'],
      [`<e:Envelope xmlns:e="${S11}">\n <e:Body>\n </e:Body>\n</e:Envelope>\n`, '1.1'],
      [`<Envelope xmlns="${S11}"><Body><Op xmlns=""/></Body></Envelope>`, '1.1'],
    ];
    for (const [text, v] of cases) {
      const quick = quickEnvelope(text, v);
      expect(quick).toBeDefined();
      expect(quick).toEqual(full(text, v));
    }
    expect(quickEnvelope(good11, '1.1')).toEqual({ version: '1.1', firstBodyElement: '{http://tempuri.org/}Add' });
  });

  it('leaves everything outside the subset, or not a good envelope, to saxes', () => {
    const outside = [
      `<!DOCTYPE x [<!ENTITY a "b">]><soap:Envelope xmlns:soap="${S11}"><soap:Body/></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${S11}"><!-- c --><soap:Body/></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body><a><![CDATA[x]]></a></soap:Body></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body><a>&#65;</a></soap:Body></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body><a>&foo;</a></soap:Body></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body><a b="&amp;"/></soap:Body></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body><a>]]></a></soap:Body></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body><x:a/></soap:Body></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body><a b="1" b="2"/></soap:Body></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body><a xmlns:p="urn:x" xmlns:q="urn:x" p:b="1" q:b="2"/></soap:Body></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body><a xmlns:p=""/></soap:Body></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body><a></b></soap:Body></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body><a></soap:Body></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body/></soap:Envelope><x/>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body/></soap:Envelope>junk`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body/></soap:Envelope><?pi x?>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Header/></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${S12}"><soap:Body/></soap:Envelope>`,
      `<Envelope><Body/></Envelope>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body><a>\u0001</a></soap:Body></soap:Envelope>`,
      `<?xml version="1.1"?><soap:Envelope xmlns:soap="${S11}"><soap:Body/></soap:Envelope>`,
      `<?xml version="1.0" standalone="maybe"?><soap:Envelope xmlns:soap="${S11}"><soap:Body/></soap:Envelope>`,
      ` <?xml version="1.0"?><soap:Envelope xmlns:soap="${S11}"><soap:Body/></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body><a b="1"c="2"/></soap:Body></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body><a:b:c xmlns:a="urn:a"/></soap:Body></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${S11}"><soap:Body>`,
    ];
    for (const text of outside) expect([text, quickEnvelope(text, '1.1')]).toEqual([text, undefined]);
  });

  it('never vouches for what saxes refuses: one- and two-character mutations of good envelopes', () => {
    const samples = path.join(__dirname, '..', '..', 'fixtures', 'soap', 'samples');
    const docs: [string, SoapVersion][] = [[good11, '1.1']];
    for (const dir of readdirSync(samples)) {
      for (const f of readdirSync(path.join(samples, dir))) {
        if (!f.endsWith('.xml')) continue;
        const text = readFileSync(path.join(samples, dir, f), 'utf8');
        docs.push([text, text.includes(S12) ? '1.2' : '1.1']);
      }
    }
    const alphabet = ['<', '>', '/', '&', ';', '"', "'", '=', ' ', ':', 'a', '!', '?', ']', '-', 'x', '\u0000', '\u00e9'];
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let vouched = 0;
    for (const [doc, v] of docs) {
      for (let k = 0; k < 1500; k++) {
        let text = doc;
        for (let times = 1 + rnd(2); times > 0; times--) {
          const at = rnd(text.length);
          const op = rnd(3);
          const c = alphabet[rnd(alphabet.length)]!;
          text = op === 0 ? text.slice(0, at) + text.slice(at + 1) : op === 1 ? text.slice(0, at) + c + text.slice(at) : text.slice(0, at) + c + text.slice(at + 1);
        }
        const quick = quickEnvelope(text, v);
        if (quick === undefined) continue;
        vouched++;
        expect([text, full(text, v)]).toEqual([text, quick]);
      }
    }
    expect(vouched).toBeGreaterThan(100);
  });
});
