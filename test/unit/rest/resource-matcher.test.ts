import { compileResource, ResourceTable, type ResourceMatch } from '../../../src/rest/resource-matcher';

function table(defs: [string, string[]][]): ResourceTable<string> {
  return new ResourceTable(defs.map(([t, m]) => compileResource(t, m, t)));
}

function matched(m: ResourceMatch<string>): { template: string; uriVars: Record<string, string> } {
  if (m.kind !== 'match') throw new Error(`expected a match, got ${m.kind}`);
  return { template: m.resource.data, uriVars: m.uriVars };
}

describe('ResourceTable.match', () => {
  test('the most specific template wins whatever the order in the file', () => {
    for (const defs of [
      [['/cities/{city}', ['GET']], ['/cities/all', ['GET']], ['/*', ['GET']]],
      [['/*', ['GET']], ['/cities/all', ['GET']], ['/cities/{city}', ['GET']]],
    ] as [string, string[]][][]) {
      const t = table(defs);
      expect(matched(t.match('GET', '/cities/all')).template).toBe('/cities/all');
      expect(matched(t.match('GET', '/cities/paris'))).toEqual({ template: '/cities/{city}', uriVars: { city: 'paris' } });
      expect(matched(t.match('GET', '/other/thing')).template).toBe('/*');
    }
  });

  test('{name} matches one segment; several variables; a trailing slash is accepted', () => {
    const t = table([['/users/{uid}/orders/{oid}', ['GET']]]);
    expect(matched(t.match('GET', '/users/7/orders/99')).uriVars).toEqual({ uid: '7', oid: '99' });
    expect(matched(t.match('GET', '/users/7/orders/99/')).uriVars).toEqual({ uid: '7', oid: '99' });
    expect(t.match('GET', '/users/7/orders/99/x').kind).toBe('not-found');
    expect(t.match('GET', '/users//orders/99').kind).toBe('not-found');
  });

  test('{+rest} takes the rest of the path, slashes included', () => {
    const t = table([['/files/{+path}', ['GET']]]);
    expect(matched(t.match('GET', '/files/a/b/c.txt')).uriVars).toEqual({ path: 'a/b/c.txt' });
    expect(t.match('GET', '/files').kind).toBe('not-found');
  });

  test('a trailing /* matches the prefix itself and any suffix, not a longer segment', () => {
    const t = table([['/api/*', ['GET']]]);
    expect(t.match('GET', '/api').kind).toBe('match');
    expect(t.match('GET', '/api/').kind).toBe('match');
    expect(t.match('GET', '/api/x/y/z').kind).toBe('match');
    expect(t.match('GET', '/apix').kind).toBe('not-found');
    expect(table([['/*', ['GET']]]).match('GET', '').kind).toBe('match');
  });

  test('a path that matches with another method is 405 with the allowed methods', () => {
    const t = table([
      ['/orders/{id}', ['GET', 'DELETE']],
      ['/orders/*', ['PUT']],
    ]);
    const m = t.match('POST', '/orders/1');
    expect(m.kind).toBe('method-not-allowed');
    expect(m.kind === 'method-not-allowed' && [...m.allowed].sort()).toEqual(['DELETE', 'GET', 'PUT']);
    expect(matched(t.match('PUT', '/orders/1')).template).toBe('/orders/*');
    expect(t.match('GET', '/elsewhere').kind).toBe('not-found');
  });

  test('HEAD is accepted where GET is; method names are case-normalised at compile time', () => {
    const t = table([['/x', ['get']]]);
    expect(t.match('HEAD', '/x').kind).toBe('match');
    expect(t.match('GET', '/x').kind).toBe('match');
  });

  test('variables are percent-decoded (UTF-8); an invalid escape is kept as is', () => {
    const t = table([['/cities/{city}', ['GET']]]);
    expect(matched(t.match('GET', '/cities/S%C3%A3o%20Paulo')).uriVars).toEqual({ city: 'São Paulo' });
    expect(matched(t.match('GET', '/cities/a%2Fb')).uriVars).toEqual({ city: 'a/b' });
    expect(matched(t.match('GET', '/cities/100%')).uriVars).toEqual({ city: '100%' });
  });

  test('literal parts are matched literally (regex characters are escaped)', () => {
    const t = table([['/v1.0/items(x)', ['GET']]]);
    expect(t.match('GET', '/v1.0/items(x)').kind).toBe('match');
    expect(t.match('GET', '/v1x0/items(x)').kind).toBe('not-found');
  });

  test('an invalid variable name is rejected when compiling', () => {
    expect(() => compileResource('/a/{b c}', ['GET'], null)).toThrow('invalid resource variable {b c} in /a/{b c}');
  });
});
