import path from 'node:path';
import { loadConfig } from '../../../src/config/load';
import { ConfigError, formatProblem, type ConfigProblem } from '../../../src/config/problems';
import { removeConfigDir, writeConfigDir } from '../../utils/bridge';

const SERVER = 'server:\n  http: { host: 127.0.0.1, port: 0 }\napis: apis\n';

/** A valid API file; `endpoint` replaces the production endpoint block (YAML at 4 spaces). */
function api(opts: { name?: string; context?: string; head?: string; resources?: string; endpoint?: string } = {}): string {
  return [
    `name: ${opts.name ?? 'orders'}`,
    `context: ${opts.context ?? '/orders'}`,
    'version: v1',
    ...(opts.head ? [opts.head] : []),
    'resources:',
    opts.resources ?? '  - { path: "/items/{id}", methods: [GET] }',
    'endpoints:',
    '  production:',
    opts.endpoint ?? '    type: http\n    url: http://127.0.0.1:9/api',
    '',
  ].join('\n');
}

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach(removeConfigDir);
  dirs = [];
});

function write(server: string, apis: Record<string, string> = {}, files: Record<string, string> = {}): string {
  const f = writeConfigDir(server, apis, files);
  dirs.push(f);
  return f;
}

/** Loads and returns the problems, with file paths relative to the config folder. */
function problemsOf(file: string, env: NodeJS.ProcessEnv = {}): ConfigProblem[] {
  try {
    loadConfig(file, env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => ({ ...p, file: path.relative(path.dirname(file), p.file) }));
  }
  throw new Error('expected the config to be rejected');
}

describe('loadConfig: each kind of problem, with file, key path and line', () => {
  test('unknown top-level key', () => {
    expect(problemsOf(write(SERVER + 'bogus: 1\n'))).toEqual([
      { file: 'soapbridge.yaml', path: 'bogus', line: 4, message: 'unknown key "bogus" (not in the schema)' },
    ]);
  });

  test('unknown key nested in endpoints.production.members[1]', () => {
    const endpoint = '    type: failover\n    members:\n      - { type: http, url: "http://a/" }\n      - { type: http, url: "http://b/", retries: 3 }';
    expect(problemsOf(write(SERVER, { orders: api({ endpoint }) }))).toEqual([
      { file: 'apis/orders.yaml', path: 'endpoints.production.members[1].retries', line: 11, message: 'unknown key "retries" (not in the schema)' },
    ]);
  });

  test('wrong type', () => {
    const server = 'server:\n  http: { host: 127.0.0.1, port: 0 }\n  limits: { maxBodyBytes: big }\n';
    expect(problemsOf(write(server))).toEqual([
      { file: 'soapbridge.yaml', path: 'server.limits.maxBodyBytes', line: 3, message: 'expected number, received string' },
    ]);
    expect(problemsOf(write(SERVER, { orders: api({ resources: '  - { path: /x, methods: GET }' }) }))[0]).toMatchObject({
      path: 'resources[0].methods',
      line: 5,
      message: 'expected array, received string',
    });
  });

  test('bad enum values: lifecycle state and load-balance algorithm', () => {
    const endpoint = '    type: loadbalance\n    algorithm: random\n    members:\n      - { type: http, url: "http://a/" }';
    const [state, algorithm] = problemsOf(write(SERVER, { a: api({ head: 'state: LIVE' }), b: api({ name: 'b', context: '/b', endpoint }) }));
    expect(state).toEqual({
      file: 'apis/a.yaml',
      path: 'state',
      line: 4,
      message: 'expected one of "CREATED"|"PROTOTYPED"|"PUBLISHED"|"BLOCKED"|"DEPRECATED"|"RETIRED"',
    });
    expect(algorithm).toEqual({
      file: 'apis/b.yaml',
      path: 'endpoints.production.algorithm',
      line: 9,
      message: 'expected one of "roundRobin"|"weightedRoundRobin"|"leastConnections"',
    });
  });

  test('unknown endpoint type lists the known ones', () => {
    const [p] = problemsOf(write(SERVER, { orders: api({ endpoint: '    type: carrier-pigeon\n    url: http://a/' }) }));
    expect(p).toMatchObject({ path: 'endpoints.production.type', line: 8 });
    expect(p!.message).toMatch(/^expected one of .*'http'.*'failover'.*'dynamic'/);
  });

  test('missing required keys', () => {
    const noContext = api().replace('context: /orders\n', '');
    const noUrl = api({ name: 'b', context: '/b', endpoint: '    type: http' });
    expect(problemsOf(write(SERVER, { a: noContext, b: noUrl }))).toEqual([
      { file: 'apis/a.yaml', path: 'context', line: 1, message: 'required key missing: expected string' },
      { file: 'apis/b.yaml', path: 'endpoints.production.url', line: 8, message: 'required key missing: expected string' },
    ]);
  });

  test('an unset ${ENV} names the variable; ${X:-default} applies the default', () => {
    expect(problemsOf(write(SERVER + 'admin: { port: "${ADMIN_PORT_UNSET}" }\n'))).toEqual([
      { file: 'soapbridge.yaml', path: 'admin.port', line: 4, message: 'environment variable ADMIN_PORT_UNSET is not set' },
    ]);
    const file = write(SERVER + 'admin: { port: "${ADMIN_PORT:-9091}" }\n');
    expect(loadConfig(file, {}).admin?.port).toBe(9091);
    expect(loadConfig(file, { ADMIN_PORT: '9092' }).admin?.port).toBe(9092);
  });

  test('YAML syntax errors give the line', () => {
    const [p] = problemsOf(write(SERVER + 'logging: { level: info\n'));
    expect(p).toMatchObject({ file: 'soapbridge.yaml', path: '', line: expect.any(Number) });
    expect(p!.message).toMatch(/^YAML syntax: /);
    expect(problemsOf(write(SERVER + 'apis: other\n'))).toEqual([
      { file: 'soapbridge.yaml', path: '', line: 4, message: 'YAML syntax: Map keys must be unique' },
    ]);
  });

  test('duplicate API names and mounts', () => {
    const problems = problemsOf(write(SERVER, { a: api(), b: api() }));
    expect(problems).toEqual([
      { file: 'apis/b.yaml', path: 'name', message: expect.stringMatching(/^API name "orders" is already used by .*a\.yaml$/) },
      { file: 'apis/b.yaml', path: 'context', message: expect.stringMatching(/^\/orders\/v1 is already served by .*a\.yaml$/) },
    ]);
  });

  test('a bad URI template in an endpoint url', () => {
    const [p] = problemsOf(write(SERVER, { orders: api({ endpoint: '    type: http\n    url: "http://h/{uri.var.id"' }) }));
    expect(p).toMatchObject({ file: 'apis/orders.yaml', path: 'endpoints.production.url', line: 9 });
    expect(p!.message).toBe('invalid URI template "http://h/{uri.var.id": unclosed "{" at 9');
  });

  test('a resource path that does not start with /', () => {
    expect(problemsOf(write(SERVER, { orders: api({ resources: '  - { path: items, methods: [GET] }' }) }))).toEqual([
      { file: 'apis/orders.yaml', path: 'resources[0].path', line: 5, message: 'a URI template starting with /' },
    ]);
  });

  test('a missing wsdl file', () => {
    const [p] = problemsOf(write(SERVER, { orders: api({ head: 'wsdl: missing.wsdl' }) }));
    expect(p).toMatchObject({ file: 'apis/orders.yaml', path: 'wsdl', line: 4 });
    expect(p!.message).toMatch(/^file missing\.wsdl does not exist \(paths are relative to .*apis\)$/);
  });

  test('several problems in several files are all reported at once', () => {
    const file = write(SERVER + 'bogus: 1\n', {
      a: api({ head: 'state: LIVE' }),
      b: api({ name: 'b', context: '/b', endpoint: '    type: http\n    url: "http://h/{x"\n    extra: 1' }),
    });
    const problems = problemsOf(file);
    expect(problems.map((p) => `${p.file} ${p.path}`)).toEqual(['soapbridge.yaml bogus', 'apis/a.yaml state', 'apis/b.yaml endpoints.production.extra']);
    try {
      loadConfig(file, {});
    } catch (e) {
      expect((e as Error).message).toMatch(/^invalid configuration \(3 problems\):\n/);
      expect((e as ConfigError).problems.map(formatProblem)[0]).toBe(`${path.dirname(file)}/soapbridge.yaml:4: bogus: unknown key "bogus" (not in the schema)`);
    }
  });
});

describe('loadConfig: the result', () => {
  test('is typed, has defaults applied and is deep-frozen', () => {
    const cfg = loadConfig(write(SERVER, { orders: api() }), {});
    expect(cfg.server.limits.maxBodyBytes).toBe(10 * 1024 * 1024);
    expect(cfg.apis[0]!.config.state).toBe('PUBLISHED');
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(Object.isFrozen(cfg.apis[0]!.config.resources![0]!.methods)).toBe(true);
    // 'use strict' is implied by the module; writing a frozen object throws.
    expect(() => {
      (cfg.server.limits as { maxBodyBytes: number }).maxBodyBytes = 1;
    }).toThrow(TypeError);
    expect(() => {
      (cfg.apis[0]!.config.resources![0]!.methods as string[]).push('POST');
    }).toThrow(TypeError);
  });
});
