import { digestAuthorization, digestResponse, parseAlgorithm } from '../../../src/auth/digest-response';

describe('RFC 7616 / RFC 2617 example values', () => {
  // RFC 7616 §3.9.1
  const rfc7616 = {
    username: 'Mufasa',
    password: 'Circle of Life',
    realm: 'http-auth@example.org',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    method: 'GET',
    uri: '/dir/index.html',
    qop: 'auth',
    nc: 1,
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  } as const;

  test('RFC 7616 MD5', () => {
    expect(digestResponse({ ...rfc7616, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  test('RFC 7616 SHA-256', () => {
    expect(digestResponse({ ...rfc7616, algorithm: 'SHA-256' })).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  test('RFC 2617 §3.5 MD5 qop=auth', () => {
    expect(
      digestResponse({
        algorithm: 'MD5',
        username: 'Mufasa',
        password: 'Circle Of Life',
        realm: 'testrealm@host.com',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        method: 'GET',
        uri: '/dir/index.html',
        qop: 'auth',
        nc: 1,
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  test('the Authorization header quotes what must be quoted and escapes quotes', () => {
    const h = digestAuthorization({ ...rfc7616, username: 'a"b', algorithm: 'SHA-256', opaque: 'FQhe' });
    expect(h).toMatch(/^Digest username="a\\"b", realm="http-auth@example.org", nonce="7ypf[^"]+", uri="\/dir\/index.html", algorithm=SHA-256, response="[0-9a-f]{64}", opaque="FQhe", qop=auth, nc=00000001, cnonce="f2\/wE4q74E6zIJEtWaHKaf5wv\/H5QzzpXusqGemxURZJ"$/);
  });

  test('algorithm tokens: case-insensitive, absent means MD5, unknown is undefined', () => {
    expect(parseAlgorithm('sha-256-SESS')).toBe('SHA-256-sess');
    expect(parseAlgorithm(undefined)).toBe('MD5');
    expect(parseAlgorithm('SHA3')).toBeUndefined();
  });
});
