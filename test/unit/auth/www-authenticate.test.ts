import { ChallengeParseError, parseChallenges } from '../../../src/auth/www-authenticate';

describe('parseChallenges', () => {
  test('several challenges, quoted commas and escapes', () => {
    expect(parseChallenges('Basic realm="a, b", Digest realm="x\\"y", nonce="n", qop="auth,auth-int", algorithm=SHA-256, stale=TRUE')).toEqual([
      { scheme: 'basic', params: { realm: 'a, b' } },
      { scheme: 'digest', params: { realm: 'x"y', nonce: 'n', qop: 'auth,auth-int', algorithm: 'SHA-256', stale: 'TRUE' } },
    ]);
  });

  test('repeated headers, token68 blobs and bare schemes', () => {
    expect(parseChallenges(['Negotiate', 'NTLM TlRMTVNTUAACAAAA==', 'Bearer realm="api"'])).toEqual([
      { scheme: 'negotiate', params: {} },
      { scheme: 'ntlm', params: {}, token68: 'TlRMTVNTUAACAAAA==' },
      { scheme: 'bearer', params: { realm: 'api' } },
    ]);
  });

  test('RFC 7616 §3.9.1 challenge with two algorithms, in order', () => {
    const h =
      'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", ' +
      'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
    const c = parseChallenges(h);
    expect(c.map((x) => x.params['algorithm'])).toEqual(['SHA-256', 'MD5']);
    expect(c[0]!.params['nonce']).toBe('7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v');
  });

  test('spaces around "=", empty list elements', () => {
    expect(parseChallenges(' , Digest realm = "r" ,, nonce= "n" ,')).toEqual([{ scheme: 'digest', params: { realm: 'r', nonce: 'n' } }]);
  });

  test.each(['', 'Digest realm="open', 'Digest realm="x", nonce=, qop=auth', '"quoted"', 'Digest realm="a" nonce="b"', 'Digest realm="a\\'])('malformed %p throws ChallengeParseError', (h) => {
    expect(() => parseChallenges(h)).toThrow(ChallengeParseError);
  });
});

test('"Digest realm=" is a scheme with a token68 (RFC 9110 grammar), not parameters', () => {
  expect(parseChallenges('Digest realm=')).toEqual([{ scheme: 'digest', params: {}, token68: 'realm=' }]);
});
