/**
 * The importer's fast XML scanner must build exactly the tree of the full scanner, or step aside
 * (undefined) and let the full scanner accept or refuse the document. Checked on every XML file
 * under test/fixtures and on seeded random mutations of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fastScanXml } from '../../../src/wsdl/xml/fast-scan-xml';
import { MAX_DEPTH, scanXml } from '../../../src/wsdl/xml/scan-xml';
import { shapeOf, strictOrError } from './xml-shape';

const FIXTURES = path.resolve(__dirname, '../../fixtures');

function xmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return xmlFiles(p);
    return /\.(wsdl|xsd|xml)$/i.test(e.name) ? [p] : [];
  });
}

/** The fast scanner's verdict must never contradict the full one. */
function agree(text: string): 'fast' | 'fallback' {
  const fast = fastScanXml(text, MAX_DEPTH);
  if (fast === undefined) return 'fallback';
  const strict = strictOrError(text);
  if (strict instanceof Error) throw new Error(`fast scanner accepted what the full scanner refuses (${strict.message}):\n${text}`);
  expect(shapeOf(fast)).toEqual(shapeOf(strict));
  return 'fast';
}

describe('fast XML scanner', () => {
  const files = xmlFiles(FIXTURES);

  it('builds the same tree as the full scanner on every fixture', () => {
    expect(files.length).toBeGreaterThan(20);
    const verdicts = files.map((f) => agree(readFileSync(f, 'utf8')));
    // The fast path has to carry the ordinary WSDLs, or it is dead code.
    const wsdls = files.filter((f) => f.includes(`${path.sep}wsdl${path.sep}`) && !f.includes(`${path.sep}bad${path.sep}`));
    for (const f of wsdls) expect([f, fastScanXml(readFileSync(f, 'utf8'), MAX_DEPTH) !== undefined]).toEqual([f, true]);
    expect(verdicts.filter((v) => v === 'fast').length).toBeGreaterThan(wsdls.length / 2);
  });

  it('keeps the details the full scanner keeps: namespaces, qualified attributes, entities, lines', () => {
    const doc =
      '<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet href="v.xsl"?><!-- head -->\n<a:root xmlns:a="urn:a" xmlns="urn:d" a:q="1" v="x &amp; y&lt;z&quot;">\n' +
      '  <child name="n\tm\r\nk"><![CDATA[ <not> & markup ]]>text &gt; more &#956;&#x3bc;<?pi data?></child>\n  <b:x xmlns:b="http://www.w3.org/1999/XMLSchema" c=\'single\'/>\n</a:root>\n';
    expect(agree(doc)).toBe('fast');
    const root = fastScanXml(doc, MAX_DEPTH);
    expect(root?.attrs).toEqual({ '{urn:a}q': '1', v: 'x & y<z"' });
    expect(root?.children[0]).toMatchObject({ ns: 'urn:d', local: 'child', line: 4, attrs: { name: 'n m k' } });
    expect(root?.children[1]).toMatchObject({ ns: 'http://www.w3.org/2001/XMLSchema', local: 'x', line: 6 }); // the attribute above spans a line
  });

  it.each([
    ['a DOCTYPE', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'],
    ['a character reference to a character XML forbids', '<a>&#1;</a>'],
    ['a processing instruction named xml', '<a><?XML x?></a>'],
    ['a non-ASCII name', '<Größe/>'],
    ['a duplicate attribute', '<a x="1" x="2"/>'],
    ['an unbound prefix', '<p:a/>'],
    ['mismatched tags', '<a><b></a></b>'],
    ['text outside the root', '<a/>junk'],
    ['"]]>" in text', '<a>x ]]> y</a>'],
    ['a bare ampersand', '<a>fish & chips</a>'],
    ['a reserved prefix', '<a xmlns:xml="urn:x"/>'],
    ['two roots', '<a/><b/>'],
    ['an unclosed root', '<a><b/>'],
    ['an attribute named __proto__', '<a __proto__="x"/>'],
  ])('leaves %s to the full scanner', (_what, doc) => {
    expect(fastScanXml(doc, MAX_DEPTH)).toBeUndefined();
    agree(doc);
  });

  it('keeps attributes named like Object.prototype members as ordinary attributes', () => {
    expect(agree('<a constructor="c" toString="t"/>')).toBe('fast');
    const strict = scanXml('<a __proto__="p" x="1"/>');
    expect(Object.getPrototypeOf(strict.attrs)).toBe(Object.prototype);
    expect(Object.entries(strict.attrs)).toEqual([['__proto__', 'p'], ['x', '1']]);
  });

  it('steps aside past the nesting limit, where the full scanner refuses', () => {
    const deep = `${'<a>'.repeat(MAX_DEPTH + 1)}${'</a>'.repeat(MAX_DEPTH + 1)}`;
    expect(fastScanXml(deep, MAX_DEPTH)).toBeUndefined();
    expect(() => scanXml(deep)).toThrow(/nested deeper/);
  });

  it('never contradicts the full scanner on mutated documents', () => {
    // A seeded generator, so a failure reproduces; small documents keep 3,000 cases fast.
    let seed = 20261127;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const bases = files.map((f) => readFileSync(f, 'utf8')).filter((t) => t.length < 4000);
    expect(bases.length).toBeGreaterThan(5);
    const alphabet = ['<', '>', '&', ';', '"', "'", '=', '/', '!', '?', '-', '[', ']', ':', ' ', '\n', 'x', 'amp;', '<!--', '-->', 'xmlns:p="u"', '</', '<![CDATA[', ']]>', '\u00e9'];
    let fast = 0;
    for (let i = 0; i < 3000; i++) {
      let text = bases[rand(bases.length)] as string;
      for (let k = 1 + rand(3); k > 0; k--) {
        const at = rand(text.length);
        const op = rand(3);
        const ins = alphabet[rand(alphabet.length)] as string;
        text = op === 0 ? text.slice(0, at) + text.slice(at + 1) : op === 1 ? text.slice(0, at) + ins + text.slice(at) : text.slice(0, at) + ins + text.slice(at + 1);
      }
      if (agree(text) === 'fast') fast++;
    }
    // Both outcomes must be exercised for the comparison to mean anything.
    expect(fast).toBeGreaterThan(100);
    expect(fast).toBeLessThan(3000);
  });
});
