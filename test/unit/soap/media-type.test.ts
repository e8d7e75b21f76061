import { parseMediaType } from '../../../src/soap/media-type';

describe('parseMediaType', () => {
  test('quoted parameters with escapes and case-insensitive names', () => {
    const mt = parseMediaType('Multipart/Related; TYPE="application/xop+xml";start="<r@x>"; start-info="application/soap+xml; action=\\"urn:a\\""; boundary=uuid:1+2');
    expect(mt?.essence).toBe('multipart/related');
    expect(Object.fromEntries(mt!.params)).toEqual({ type: 'application/xop+xml', start: '<r@x>', 'start-info': 'application/soap+xml; action="urn:a"', boundary: 'uuid:1+2' });
  });

  test.each(['text', 'text/', '/xml', 'text/xml; a', 'text/xml; a=', 'text/xml; a="unterminated', 'text/xml; a=b; A=c', 'text/xml; a=b c', 'text/xml x'])('refuses %j', (v) => {
    expect(parseMediaType(v)).toBeUndefined();
  });

  test('empty parameters are allowed (RFC 9110)', () => {
    expect(Object.fromEntries(parseMediaType('text/xml;; charset=utf-8;')!.params)).toEqual({ charset: 'utf-8' });
  });
});
