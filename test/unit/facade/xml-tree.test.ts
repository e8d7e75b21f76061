import { BridgeError } from '../../../src/errors/bridge-error';
import { parseXmlTree } from '../../../src/facade/xml-tree';

function refused(xml: string): string {
  try {
    parseXmlTree(xml);
  } catch (e) {
    expect(e).toBeInstanceOf(BridgeError);
    expect((e as BridgeError).code).toBe('BACKEND_RESPONSE_INVALID');
    return (e as BridgeError).message;
  }
  throw new Error('expected BACKEND_RESPONSE_INVALID');
}

describe('the response scanner', () => {
  test('namespaces, attributes, text, CDATA, comments and PIs', () => {
    const root = parseXmlTree('\uFEFF<?xml version="1.0"?><!-- c --><a:R xmlns:a="urn:a" xmlns="urn:d" k=\'v&amp;w\' a:q="1"><C>x &lt; &#65;&#x42;<![CDATA[<&>]]><!-- no --><?pi x?>y</C><E xmlns=""/></a:R>\n');
    expect(root).toMatchObject({ ns: 'urn:a', local: 'R', attrs: { k: 'v&w', '{urn:a}q': '1' } });
    const [c, e] = root.children;
    expect(c).toMatchObject({ ns: 'urn:d', local: 'C', text: 'x < AB<&>y', children: [] });
    expect(e).toMatchObject({ ns: '', local: 'E', text: '' });
  });

  test('end tags may carry whitespace before their >', () => {
    expect(parseXmlTree('<a><b>1</b\n></a >').children[0]?.text).toBe('1');
  });

  test('undeclared entities and references to illegal characters are not well-formed (never expanded, never passed on)', () => {
    expect(parseXmlTree('<r>&lt;&#x41;&#66; &amp;</r>').text).toBe('<AB &');
    for (const bad of ['<r>&foo;</r>', '<r>&#0;</r>', '<r>&#xD800;</r>', '<r>&#xFFFE;</r>']) {
      expect(() => parseXmlTree(bad)).toThrow(/not well-formed/);
    }
  });

  test('raw(): the element as written, with the declarations it inherits', () => {
    const root = parseXmlTree('<e xmlns:m="urn:m" xmlns:u="urn:u"><m:x u:a="1"><m:y/><!--c--></m:x></e>');
    expect(root.children[0]?.raw()).toBe('<m:x xmlns:m="urn:m" xmlns:u="urn:u" u:a="1"><m:y/><!--c--></m:x>');
  });

  test.each([
    ['mismatched end tag', '<a><b></a>', /does not match/],
    ['an end tag longer than the start tag', '<a><b></bc></a>', /does not match/],
    ['a truncated end tag', '<a></a', /not closed/],
    ['unclosed element', '<a><b></b>', /unclosed element/],
    ['unquoted attribute', '<a x=1/>', /not quoted/],
    ['attribute without value', '<a x/>', /no value/],
    ['repeated attribute', '<a x="1" x="2"/>', /repeated/],
    ['attributes without space', '<a x="1"y="2"/>', /separated/],
    ['a stray ampersand', '<a>x & y</a>', /'&'/],
    ['text after the root', '<a/>x', /extra text/],
    ['two roots', '<a/><b/>', /multiple root/],
    ['text before the root', 'x<a/>', /not expected/],
    ['an empty document', '  ', /no root/],
    ['an unclosed comment', '<a><!-- x</a>', /unclosed comment/],
    ['an unclosed CDATA section', '<a><![CDATA[x</a>', /unclosed CDATA/],
    ['a truncated start tag', '<a x="1"', /unclosed start tag/],
    ['a DOCTYPE', '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', /DOCTYPE/],
    ['an undeclared prefix', '<p:a/>', /undeclared namespace prefix "p"/],
    ['an undeclared attribute prefix', '<a p:x="1"/>', /undeclared namespace prefix "p"/],
  ])('%s is refused', (_name, xml, message) => {
    expect(refused(xml)).toMatch(message);
  });

  test('deep nesting is refused without a stack overflow', () => {
    expect(refused(`${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`)).toMatch(/nested deeper than 256/);
  });
});
