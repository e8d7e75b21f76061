import type { PartHeaders } from '../../../src/soap/multipart-related';
import { checkRootPart, contentId, relatedRequestInfo, type RelatedSoapRequest } from '../../../src/soap/related-request';

describe('relatedRequestInfo', () => {
  const info = (ct: string, soapaction?: string): ReturnType<typeof relatedRequestInfo> => relatedRequestInfo({ 'content-type': ct, ...(soapaction !== undefined ? { soapaction } : {}) });

  test('MTOM SOAP 1.1: version from start-info, action from SOAPAction, start without brackets', () => {
    const r = info('multipart/related; type="application/xop+xml"; start="<root@x>"; start-info="text/xml"; boundary=b1', '"urn:Add"');
    expect(r).toEqual({
      ok: true,
      request: { version: '1.1', mtom: true, boundary: 'b1', start: 'root@x', envelopeType: 'text/xml', soapAction: 'urn:Add', startInfoAction: undefined, multipartAction: undefined },
    });
  });

  test('MTOM SOAP 1.2: action from start-info or from the multipart type', () => {
    const r = info('multipart/related; type="application/xop+xml"; start-info="application/soap+xml; action=\\"urn:A\\""; action="urn:B"; boundary="b 1"');
    expect(r?.ok && r.request).toMatchObject({ version: '1.2', mtom: true, boundary: 'b 1', start: undefined, startInfoAction: 'urn:A', multipartAction: 'urn:B' });
  });

  test('SwA: the type is the envelope type', () => {
    expect(info('multipart/related; type="application/soap+xml"; boundary=x')).toMatchObject({ ok: true, request: { version: '1.2', mtom: false } });
    expect(info('Multipart/Related;type=text/xml;boundary=x')).toMatchObject({ ok: true, request: { version: '1.1', mtom: false } });
  });

  test('other content types are not ours', () => {
    expect(info('text/xml')).toBeUndefined();
    expect(info('multipart/form-data; boundary=x')).toBeUndefined();
    expect(info('multipart/relatedness; boundary=x')).toBeUndefined();
  });

  test.each([
    ['multipart/related; boundary=x', '1.1', /type missing/],
    ['multipart/related; type="image/png"; boundary=x', '1.1', /type "image\/png"/],
    ['multipart/related; type="application/xop+xml"; boundary=x', '1.1', /needs start-info/],
    ['multipart/related; type="application/xop+xml"; start-info="text/plain"; boundary=x', '1.1', /needs start-info/],
    ['multipart/related; type="application/xop+xml"; start-info="application/soap+xml"', '1.2', /without a boundary/],
    ['multipart/related; type="text/xml"; boundary="bad;boundary"', '1.1', /invalid multipart boundary/],
    ['multipart/related; type="text/xml"; boundary=a; boundary=b', '1.1', /malformed multipart\/related/],
    ['multipart/related; type="text/xml; boundary=x', '1.1', /malformed multipart\/related/],
  ])('%s is refused (415) with a SOAP %s Fault', (ct, version, message) => {
    const r = info(ct);
    expect(r?.ok).toBe(false);
    if (r && !r.ok) {
      expect(r.version).toBe(version);
      expect(r.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(r.error.message).toMatch(message);
    }
  });

  test('contentId strips angle brackets and white space', () => {
    expect(contentId(' <a@b> ')).toBe('a@b');
    expect(contentId('a@b')).toBe('a@b');
  });
});

describe('checkRootPart', () => {
  const req = (ct: string, soapaction = ''): RelatedSoapRequest => {
    const r = relatedRequestInfo({ 'content-type': ct, soapaction });
    if (!r?.ok) throw new Error('bad test request');
    return r.request;
  };
  const mtom12 = req('multipart/related; type="application/xop+xml"; start-info="application/soap+xml"; action="urn:multi"; boundary=b');
  const headers = (h: Record<string, string>): PartHeaders => new Map(Object.entries(h));

  test('SOAP 1.2 action: start-info first, then the root part (its own or inside type=), then the multipart type', () => {
    expect(checkRootPart(mtom12, headers({ 'content-type': 'application/xop+xml; charset=utf-8; type="application/soap+xml; action=\\"urn:inner\\""' }))).toEqual({ action: 'urn:inner' });
    expect(checkRootPart(mtom12, headers({ 'content-type': 'application/xop+xml; type="application/soap+xml"; action="urn:root"' }))).toEqual({ action: 'urn:root' });
    expect(checkRootPart(mtom12, headers({ 'content-type': 'application/xop+xml; type="application/soap+xml"' }))).toEqual({ action: 'urn:multi' });
    const si = req('multipart/related; type="application/xop+xml"; start-info="application/soap+xml;action=urn:si"; boundary=b');
    expect(checkRootPart(si, headers({ 'content-type': 'application/xop+xml; type="application/soap+xml"; action="urn:root"' }))).toEqual({ action: 'urn:si' });
  });

  test('SOAP 1.1 action is the SOAPAction header', () => {
    const swa = req('multipart/related; type="text/xml"; boundary=b', '"urn:x"');
    expect(checkRootPart(swa, headers({ 'content-type': 'text/xml; charset=utf-8', 'content-transfer-encoding': '8bit' }))).toEqual({ action: 'urn:x' });
  });

  test.each([
    [{}, /no Content-Type/],
    [{ 'content-type': 'image/png' }, /must be application\/xop\+xml; type="application\/soap\+xml"/],
    [{ 'content-type': 'application/xop+xml; type="text/xml"' }, /as start-info says/],
    [{ 'content-type': 'application/xop+xml' }, /as start-info says/],
    [{ 'content-type': 'application/xop+xml; type="application/soap+xml"', 'content-transfer-encoding': 'base64' }, /Content-Transfer-Encoding "base64"/],
  ])('root part %j is refused', (h, message) => {
    expect(() => checkRootPart(mtom12, headers(h as Record<string, string>))).toThrow(message);
  });

  test('SwA root part must be the multipart type', () => {
    const swa = req('multipart/related; type="text/xml"; boundary=b');
    expect(() => checkRootPart(swa, headers({ 'content-type': 'application/soap+xml' }))).toThrow(/must be text\/xml/);
  });
});
