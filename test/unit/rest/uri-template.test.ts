import { compileTemplate, UriTemplateError, type TemplateVars } from '../../../src/rest/uri-template';

/** The variables of RFC 6570 section 3.2. */
const RFC: TemplateVars = {
  count: ['one', 'two', 'three'],
  dom: ['example', 'com'],
  dub: 'me/too',
  hello: 'Hello World!',
  half: '50%',
  var: 'value',
  who: 'fred',
  base: 'http://example.com/home/',
  path: '/foo/bar',
  list: ['red', 'green', 'blue'],
  keys: { semi: ';', dot: '.', comma: ',' },
  v: '6',
  x: '1024',
  y: '768',
  empty: '',
  empty_keys: {},
  undef: null,
};

const expand = (t: string, vars: TemplateVars = RFC): string => compileTemplate(t).expand(vars);

// [template, expansion] rows of the RFC's tables, section by section.
const TABLES: Record<string, [string, string][]> = {
  '3.2.1 variable expansion': [
    ['{count}', 'one,two,three'], ['{count*}', 'one,two,three'], ['{/count}', '/one,two,three'], ['{/count*}', '/one/two/three'],
    ['{;count}', ';count=one,two,three'], ['{;count*}', ';count=one;count=two;count=three'], ['{?count}', '?count=one,two,three'],
    ['{?count*}', '?count=one&count=two&count=three'], ['{&count*}', '&count=one&count=two&count=three'],
  ],
  '3.2.2 simple string (level 1)': [
    ['{var}', 'value'], ['{hello}', 'Hello%20World%21'], ['{half}', '50%25'], ['O{empty}X', 'OX'], ['O{undef}X', 'OX'],
    ['{x,y}', '1024,768'], ['{x,hello,y}', '1024,Hello%20World%21,768'], ['?{x,empty}', '?1024,'], ['?{x,undef}', '?1024'],
    ['?{undef,y}', '?768'], ['{var:3}', 'val'], ['{var:30}', 'value'], ['{list}', 'red,green,blue'], ['{list*}', 'red,green,blue'],
    ['{keys}', 'semi,%3B,dot,.,comma,%2C'], ['{keys*}', 'semi=%3B,dot=.,comma=%2C'],
  ],
  '3.2.3 reserved {+var} (level 2)': [
    ['{+var}', 'value'], ['{+hello}', 'Hello%20World!'], ['{+half}', '50%25'], ['{base}index', 'http%3A%2F%2Fexample.com%2Fhome%2Findex'],
    ['{+base}index', 'http://example.com/home/index'], ['O{+empty}X', 'OX'], ['O{+undef}X', 'OX'], ['{+path}/here', '/foo/bar/here'],
    ['here?ref={+path}', 'here?ref=/foo/bar'], ['up{+path}{var}/here', 'up/foo/barvalue/here'], ['{+x,hello,y}', '1024,Hello%20World!,768'],
    ['{+path,x}/here', '/foo/bar,1024/here'], ['{+path:6}/here', '/foo/b/here'], ['{+list}', 'red,green,blue'], ['{+list*}', 'red,green,blue'],
    ['{+keys}', 'semi,;,dot,.,comma,,'], ['{+keys*}', 'semi=;,dot=.,comma=,'],
  ],
  '3.2.4 fragment {#var}': [
    ['{#var}', '#value'], ['{#hello}', '#Hello%20World!'], ['{#half}', '#50%25'], ['foo{#empty}', 'foo#'], ['foo{#undef}', 'foo'],
    ['{#x,hello,y}', '#1024,Hello%20World!,768'], ['{#path,x}/here', '#/foo/bar,1024/here'], ['{#path:6}/here', '#/foo/b/here'],
    ['{#list}', '#red,green,blue'], ['{#list*}', '#red,green,blue'], ['{#keys}', '#semi,;,dot,.,comma,,'], ['{#keys*}', '#semi=;,dot=.,comma=,'],
  ],
  '3.2.5 label {.x,y}': [
    ['{.who}', '.fred'], ['{.who,who}', '.fred.fred'], ['{.half,who}', '.50%25.fred'], ['www{.dom*}', 'www.example.com'], ['X{.var}', 'X.value'],
    ['X{.empty}', 'X.'], ['X{.undef}', 'X'], ['X{.var:3}', 'X.val'], ['X{.list}', 'X.red,green,blue'], ['X{.list*}', 'X.red.green.blue'],
    ['X{.keys}', 'X.semi,%3B,dot,.,comma,%2C'], ['X{.keys*}', 'X.semi=%3B.dot=..comma=%2C'], ['X{.empty_keys}', 'X'], ['X{.empty_keys*}', 'X'],
  ],
  '3.2.6 path segments {/var*}': [
    ['{/who}', '/fred'], ['{/who,who}', '/fred/fred'], ['{/half,who}', '/50%25/fred'], ['{/who,dub}', '/fred/me%2Ftoo'], ['{/var}', '/value'],
    ['{/var,empty}', '/value/'], ['{/var,undef}', '/value'], ['{/var,x}/here', '/value/1024/here'], ['{/var:1,var}', '/v/value'],
    ['{/list}', '/red,green,blue'], ['{/list*}', '/red/green/blue'], ['{/list*,path:4}', '/red/green/blue/%2Ffoo'],
    ['{/keys}', '/semi,%3B,dot,.,comma,%2C'], ['{/keys*}', '/semi=%3B/dot=./comma=%2C'],
  ],
  '3.2.7 path-style parameters {;list*}': [
    ['{;who}', ';who=fred'], ['{;half}', ';half=50%25'], ['{;empty}', ';empty'], ['{;v,empty,who}', ';v=6;empty;who=fred'],
    ['{;v,bar,who}', ';v=6;who=fred'], ['{;x,y}', ';x=1024;y=768'], ['{;x,y,empty}', ';x=1024;y=768;empty'], ['{;x,y,undef}', ';x=1024;y=768'],
    ['{;hello:5}', ';hello=Hello'], ['{;list}', ';list=red,green,blue'], ['{;list*}', ';list=red;list=green;list=blue'],
    ['{;keys}', ';keys=semi,%3B,dot,.,comma,%2C'], ['{;keys*}', ';semi=%3B;dot=.;comma=%2C'],
  ],
  '3.2.8 form query {?x,y}': [
    ['{?who}', '?who=fred'], ['{?half}', '?half=50%25'], ['{?x,y}', '?x=1024&y=768'], ['{?x,y,empty}', '?x=1024&y=768&empty='],
    ['{?x,y,undef}', '?x=1024&y=768'], ['{?var:3}', '?var=val'], ['{?list}', '?list=red,green,blue'], ['{?list*}', '?list=red&list=green&list=blue'],
    ['{?keys}', '?keys=semi,%3B,dot,.,comma,%2C'], ['{?keys*}', '?semi=%3B&dot=.&comma=%2C'],
  ],
  '3.2.9 form continuation {&x}': [
    ['{&who}', '&who=fred'], ['{&half}', '&half=50%25'], ['?fixed=yes{&x}', '?fixed=yes&x=1024'], ['{&x,y,empty}', '&x=1024&y=768&empty='],
    ['{&var:3}', '&var=val'], ['{&list}', '&list=red,green,blue'], ['{&list*}', '&list=red&list=green&list=blue'],
    ['{&keys}', '&keys=semi,%3B,dot,.,comma,%2C'], ['{&keys*}', '&semi=%3B&dot=.&comma=%2C'],
  ],
};

describe('RFC 6570 examples', () => {
  for (const [section, rows] of Object.entries(TABLES)) {
    test.each(rows)(`${section}: %s -> %s`, (template, expected) => {
      expect(expand(template)).toBe(expected);
    });
  }

  test('section 1.2 level examples', () => {
    const vars = { var: 'value', hello: 'Hello World!', path: '/foo/bar', list: ['red', 'green', 'blue'], keys: { semi: ';', dot: '.', comma: ',' } };
    expect(expand('{var}', vars)).toBe('value');
    expect(expand('{+path}/here', vars)).toBe('/foo/bar/here');
    expect(expand('X{#var}', vars)).toBe('X#value');
    expect(expand('map?{x,y}', { x: '1024', y: '768' })).toBe('map?1024,768');
    expect(expand('{?x,y,empty}', { x: '1024', y: '768', empty: '' })).toBe('?x=1024&y=768&empty=');
    expect(expand('{/list*}', vars)).toBe('/red/green/blue');
    expect(expand('{?keys*}', vars)).toBe('?semi=%3B&dot=.&comma=%2C');
  });
});

describe('WSO2 variable names, reserved characters and encoding', () => {
  test('{uri.var.x} and {query.param.x} are plain dotted names', () => {
    const t = compileTemplate('http://b1:9000/api/{uri.var.id}/items?q={query.param.q}&n={query.param.n}');
    expect(t.hasExpressions).toBe(true);
    expect(t.variables).toEqual(['uri.var.id', 'query.param.q', 'query.param.n']);
    expect(t.expand({ 'uri.var.id': '42', 'query.param.q': 'a&b=c', 'query.param.n': '1' })).toBe('http://b1:9000/api/42/items?q=a%26b%3Dc&n=1');
  });

  test('reserved characters are encoded in simple expansion and kept in {+x} / {#x}', () => {
    const v = { p: ":/?#[]@!$&'()*+,;=" };
    expect(expand('{p}', v)).toBe('%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D');
    expect(expand('{+p}', v)).toBe(":/?#[]@!$&'()*+,;=");
    expect(expand('{#p}', v)).toBe("#:/?#[]@!$&'()*+,;=");
    // Reserved expansion keeps existing %XX triplets but encodes a lone %.
    expect(expand('{+p}', { p: 'a%20b%zz' })).toBe('a%20b%25zz');
    expect(expand('{p}', { p: 'a%20b' })).toBe('a%2520b');
  });

  test('non-ASCII values are UTF-8 percent-encoded; prefixes count characters, not bytes', () => {
    expect(expand('/cities/{uri.var.city}', { 'uri.var.city': 'São Paulo' })).toBe('/cities/S%C3%A3o%20Paulo');
    expect(expand('{x}', { x: '日本' })).toBe('%E6%97%A5%E6%9C%AC');
    expect(expand('{x}', { x: '😀' })).toBe('%F0%9F%98%80');
    expect(expand('{x:2}', { x: 'ñ😀z' })).toBe('%C3%B1%F0%9F%98%80');
    expect(expand('{+x}', { x: 'é/ü' })).toBe('%C3%A9/%C3%BC');
  });

  test('literals keep URI characters and encode the rest', () => {
    expect(expand('http://h/a b/ü?x=1&y=%41')).toBe('http://h/a%20b/%C3%BC?x=1&y=%41');
  });

  test('undefined and null variables expand to nothing, numbers and booleans as text', () => {
    expect(expand('/a{/b}{?c,d}', {})).toBe('/a');
    expect(expand('/a{/b}{?c,d}', { b: undefined, c: null, d: 5 })).toBe('/a?d=5');
    expect(expand('{?flag}', { flag: true })).toBe('?flag=true');
  });

  test('a template without expressions is reported as such', () => {
    const t = compileTemplate('http://backend:8080/api');
    expect(t.hasExpressions).toBe(false);
    expect(t.variables).toEqual([]);
    expect(t.expand({})).toBe('http://backend:8080/api');
  });
});

describe('invalid templates throw UriTemplateError', () => {
  test.each([
    ['{unclosed', /unclosed "\{" at 0/],
    ['a}b', /unmatched "\}" at 1/],
    ['x{}', /empty expression/],
    ['{=x}', /reserved operator "="/],
    ['{|x}', /reserved operator "\|"/],
    ['{x:0}', /bad prefix length "0"/],
    ['{x:10000}', /bad prefix length "10000"/],
    ['{a b}', /bad variable name "a b"/],
    ['{x-y}', /bad variable name "x-y"/],
    ['{.}', /bad variable name ""/],
    ['{a..b}', /bad variable name "a..b"/],
  ])('%s', (template, reason) => {
    expect(() => compileTemplate(template)).toThrow(UriTemplateError);
    expect(() => compileTemplate(template)).toThrow(reason);
  });
});
