import { XMLParser } from 'fast-xml-parser';
import { insertHeaderBlock, EnvelopeShapeError } from '../../../src/auth/soap-header';
import { passwordDigest, usernameTokenBlock, PASSWORD_DIGEST, WSSE_NS } from '../../../src/auth/ws-security';

const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const S12 = 'http://www.w3.org/2003/05/soap-envelope';
const block = (p: string, v: string): string => `<x:B xmlns:x="urn:b" p="${p}" v="${v}"/>`;
const run = (xml: string): string => insertHeaderBlock(Buffer.from(xml, 'utf8'), block).envelope.toString('utf8');

describe('insertHeaderBlock', () => {
  test('SOAP 1.1 with a Header: the block goes first in it', () => {
    expect(run(`<?xml version="1.0"?>\n<!-- c --><s:Envelope xmlns:s="${S11}"><s:Header><h/></s:Header><s:Body/></s:Envelope>`)).toBe(
      `<?xml version="1.0"?>\n<!-- c --><s:Envelope xmlns:s="${S11}"><s:Header><x:B xmlns:x="urn:b" p="s" v="1.1"/><h/></s:Header><s:Body/></s:Envelope>`,
    );
  });

  test('SOAP 1.2 without a Header: one is created before the Body', () => {
    expect(run(`<env:Envelope xmlns:env="${S12}" a='x>y'>\n  <env:Body><m/></env:Body></env:Envelope>`)).toBe(
      `<env:Envelope xmlns:env="${S12}" a='x>y'><env:Header><x:B xmlns:x="urn:b" p="env" v="1.2"/></env:Header>\n  <env:Body><m/></env:Body></env:Envelope>`,
    );
  });

  test('a self-closing Header and a default-namespace Envelope', () => {
    expect(run(`<Envelope xmlns="${S11}"><Header /><Body/></Envelope>`)).toBe(`<Envelope xmlns="${S11}"><Header><x:B xmlns:x="urn:b" p="" v="1.1"/></Header><Body/></Envelope>`);
  });

  test('non-ASCII bytes of the envelope survive', () => {
    expect(run(`<s:Envelope xmlns:s="${S11}"><s:Body>grüße ☃</s:Body></s:Envelope>`)).toContain('grüße ☃');
  });

  test.each(['<a/>', `<s:Envelope xmlns:s="urn:other"><s:Body/></s:Envelope>`, 'not xml', `<s:Envelope xmlns:s="${S11}"/>`])('%p is refused', (xml) => {
    expect(() => run(xml)).toThrow(EnvelopeShapeError);
  });
});

describe('UsernameToken', () => {
  test('PasswordDigest = Base64(SHA-1(nonce bytes + created + password))', () => {
    // Expected value computed outside Node:
    // (printf 'LKqI6G/AikKCQrN0zqZFlg==' | base64 -d; printf '2010-09-16T07:50:45Zuserpassword') | openssl dgst -sha1 -binary | base64
    const nonce = Buffer.from('LKqI6G/AikKCQrN0zqZFlg==', 'base64');
    expect(passwordDigest(nonce, '2010-09-16T07:50:45Z', 'userpassword')).toBe('tuOSpGlFlIXsozq4HFNeeGeFLEI=');
  });

  test('the block: OASIS namespaces, mustUnderstand of the envelope version, escaped username', () => {
    const xml = usernameTokenBlock(
      { username: 'a<b', password: 'pw', passwordType: 'PasswordDigest', maxEnvelopeBytes: 1, now: () => new Date('2020-01-01T00:00:00Z'), nonce: () => Buffer.alloc(16, 1) },
      'soap',
      '1.1',
    );
    const parsed = new XMLParser({ ignoreAttributes: false, removeNSPrefix: false }).parse(`<r xmlns:soap="${S11}">${xml}</r>`) as Record<string, Record<string, Record<string, unknown>>>;
    const sec = parsed['r']!['wsse:Security']!;
    expect(sec['@_xmlns:wsse']).toBe(WSSE_NS);
    expect(sec['@_soap:mustUnderstand']).toBe('1');
    const token = sec['wsse:UsernameToken'] as Record<string, unknown>;
    expect(token['wsse:Username']).toBe('a<b');
    expect((token['wsse:Password'] as Record<string, string>)['@_Type']).toBe(PASSWORD_DIGEST);
    expect((token['wsse:Password'] as Record<string, string>)['#text']).toBe(passwordDigest(Buffer.alloc(16, 1), '2020-01-01T00:00:00.000Z', 'pw'));
    expect(token['wsu:Created']).toBe('2020-01-01T00:00:00.000Z');
  });
});
