import path from 'node:path';
import type { LoadResult } from './lib/load';
import { fmtMs, fmtRatio } from './lib/format';
import { CALC_ADD_JSON, DIGEST_PASSWORD, DIGEST_USER, SOAP_REQUEST_1K } from './servers/payloads';

/**
 * What the bench measures. A scenario is one kind of request (method, path, body) plus the
 * bridge API that serves it, the backends it needs (`backends`: modes of servers/backend.ts),
 * the targets (direct, bridge, peers) it runs against and the performance targets.
 */
export type TargetId =
  | 'direct'
  | 'bridge'
  | 'bridge-logs'
  | 'bridge-noauth'
  | 'nginx'
  | 'fast-gateway'
  | 'express+undici'
  | 'node+undici'
  | 'soap-client'
  | 'express+fxp';

/** Modes of `servers/backend.ts`. */
export type BackendMode = 'plain' | 'calculator' | 'digest';

/** One line of a scenario's targets table; `ok` undefined = could not be measured. */
export interface Check {
  readonly label: string;
  readonly measured: string;
  readonly ok: boolean | undefined;
}
export type ResultOf = (id: TargetId) => LoadResult | undefined;

export interface Scenario {
  readonly id: string;
  /** `--scenario` accepts ids and groups: `core` (issues 2, 3), `issue4`, `issue5`, `issue6`. */
  readonly group: string;
  readonly title: string;
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Request path below the mount (`/bench/v1` on proxies, the root on the backend). */
  readonly path: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Backends this scenario needs, in order (default `['plain']`); `bridgeApi` gets their URLs in
   * the same order. Peers, `direct` and nginx use the first one, nginx every `plain` one (its
   * upstream). Backends are shared between scenarios by mode and position.
   */
  readonly backends?: readonly BackendMode[];
  /** The bridge's API file (as a YAML-ready object) for the target `target` (bridge, bridge-logs, bridge-noauth). */
  bridgeApi(backendUrls: readonly string[], target: TargetId): Record<string, unknown>;
  /** Targets to run, in order. */
  readonly targets: readonly TargetId[];
  /** Labels that replace the target's own in this scenario's table. */
  readonly labels?: Partial<Record<TargetId, string>>;
  /** The performance targets on this scenario. */
  readonly checks?: { readonly title: string; run(get: ResultOf): readonly Check[] };
}

/** Every bridge API in the bench is mounted here; peers use the same prefix. */
export const MOUNT = { context: '/bench', version: 'v1' } as const;
export const PREFIX = `${MOUNT.context}/${MOUNT.version}`;
export const CALCULATOR_WSDL = path.resolve(__dirname, '..', '..', 'wsdl', 'Calculator.wsdl');

const TIMEOUT = { ms: 10_000, connectMs: 2_000 } as const;

/** A REST API whose resources all go to `endpoint`. */
export function restApi(name: string, resources: readonly { path: string; methods: readonly string[] }[], endpoint: Record<string, unknown>): Record<string, unknown> {
  return { name, ...MOUNT, state: 'PUBLISHED', description: 'bench API (generated)', resources, endpoints: { production: endpoint } };
}

/** Plain base URL: the resource path and query are appended. */
export const httpLeaf = (url: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: 'http', url, timeout: TIMEOUT, ...extra });

const ITEMS = [{ path: '/items/{id}', methods: ['GET'] }] as const;

/**
 * A SOAP API (issue 3's pass-through: envelope inspected while it streams, operation checked
 * against the WSDL; issue 4's REST facade with `rest`) mounted so that its root is
 * PREFIX + '/calculator', the path every peer proxies: context `/bench/v1`, version `calculator`.
 */
function soapApi(backendUrl: string, expose: { soap: boolean; rest?: boolean }): Record<string, unknown> {
  return {
    name: 'bench-soap',
    context: PREFIX,
    version: 'calculator',
    state: 'PUBLISHED',
    description: 'bench SOAP API (generated)',
    wsdl: CALCULATOR_WSDL,
    expose,
    endpoints: { production: { type: 'soap', url: `${backendUrl}/calculator`, timeout: TIMEOUT } },
  };
}

// --- target checks -------------------------------------------------------------------------

function ratio(get: ResultOf, a: TargetId, b: TargetId): number | undefined {
  const x = get(a);
  const y = get(b);
  return x && y ? x.rps / y.rps : undefined;
}

/** `a` req/s ≥ `min` × `b` req/s. */
export function ratioCheck(get: ResultOf, a: TargetId, b: TargetId, min: number, label: string): Check {
  const r = ratio(get, a, b);
  return { label, measured: fmtRatio(r), ok: r === undefined ? undefined : r >= min };
}

/** A run of `id` without socket errors or non-2xx answers. */
export function noErrorsCheck(get: ResultOf, id: TargetId, label = `${id} run without errors`): Check {
  const x = get(id);
  return { label, measured: x ? `${x.errors} errors in ${x.requests.toLocaleString('en-US')} requests` : '–', ok: x ? x.errors === 0 : undefined };
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'get-json',
    group: 'core',
    title: 'GET, 1 KiB JSON response (REST pass-through)',
    method: 'GET',
    path: '/items/42',
    bridgeApi: ([backend]) => restApi('bench', ITEMS, httpLeaf(backend!)),
    targets: ['direct', 'nginx', 'bridge', 'bridge-logs', 'fast-gateway', 'express+undici', 'node+undici'],
    checks: {
      title: 'issue 2',
      run: (get) => {
        const b = get('bridge');
        const n = get('nginx');
        const p99 = b && n ? b.p99Ms / n.p99Ms : undefined;
        return [
          ratioCheck(get, 'bridge', 'nginx', 0.25, 'bridge ≥ 0.25× nginx req/s'),
          ratioCheck(get, 'bridge', 'fast-gateway', 1.3, 'bridge ≥ 1.3× fast-gateway req/s'),
          { label: 'bridge p99 ≤ 3× nginx p99', measured: b && n ? `${fmtMs(b.p99Ms)} vs ${fmtMs(n.p99Ms)} = ${fmtRatio(p99)}` : '–', ok: p99 === undefined ? undefined : p99 <= 3 },
          noErrorsCheck(get, 'bridge', 'bridge run without errors'),
        ];
      },
    },
  },
  {
    id: 'post-soap',
    group: 'core',
    title: 'POST 1 KiB SOAP envelope, 1 KiB XML response (REST resource, methods [POST])',
    method: 'POST',
    path: '/calculator',
    body: SOAP_REQUEST_1K,
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://tempuri.org/Add"' },
    bridgeApi: ([backend]) => restApi('bench', [{ path: '/calculator', methods: ['POST'] }], httpLeaf(backend!)),
    targets: ['direct', 'nginx', 'bridge', 'fast-gateway'],
  },
  {
    id: 'soap-pass-through',
    group: 'core',
    title: 'POST 1 KiB SOAP 1.1 envelope through a SOAP API (WSDL-checked pass-through), 1 KiB back',
    method: 'POST',
    path: '/calculator',
    body: SOAP_REQUEST_1K,
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://tempuri.org/Add"' },
    bridgeApi: ([backend]) => soapApi(backend!, { soap: true }),
    targets: ['direct', 'nginx', 'bridge'],
  },
  {
    id: 'rest-facade',
    group: 'issue4',
    title: 'SOAP→REST facade: POST {"intA":1,"intB":2} to …/calculator/add, fast SOAP backend (Calculator AddResponse), JSON back',
    method: 'POST',
    path: '/calculator/add',
    body: CALC_ADD_JSON,
    headers: { 'content-type': 'application/json' },
    backends: ['calculator'],
    bridgeApi: ([backend]) => soapApi(backend!, { soap: true, rest: true }),
    targets: ['bridge', 'express+fxp', 'soap-client'],
    labels: { bridge: 'soapbridge REST facade (WSDL Calculator, expose soap+rest; level warn, requests off)' },
    checks: {
      title: 'issue 4',
      run: (get) => {
        const b = get('bridge');
        return [
          ratioCheck(get, 'bridge', 'soap-client', 5, 'bridge ≥ 5× naive soap-client bridge req/s'),
          ratioCheck(get, 'bridge', 'express+fxp', 1.5, 'bridge ≥ 1.5× express+undici+fast-xml-parser req/s'),
          { label: 'bridge p99 < 20 ms at the bench connections', measured: b ? fmtMs(b.p99Ms) : '–', ok: b ? b.p99Ms < 20 : undefined },
          noErrorsCheck(get, 'bridge', 'bridge run without errors'),
        ];
      },
    },
  },
  {
    id: 'loadbalance',
    group: 'issue5',
    title: 'GET, 1 KiB JSON, round robin over 2 backends (bridge loadbalance group vs nginx upstream)',
    method: 'GET',
    path: '/items/42',
    backends: ['plain', 'plain'],
    bridgeApi: (backends) =>
      restApi('bench', ITEMS, { type: 'loadbalance', algorithm: 'roundRobin', members: backends.map((u, i) => httpLeaf(u, { name: `b${i + 1}` })) }),
    targets: ['nginx', 'bridge'],
    labels: {
      nginx: 'nginx (1 worker, upstream of the 2 backends, round robin, keepalive 64)',
      bridge: 'soapbridge loadbalance roundRobin over the 2 backends (level warn, requests off)',
    },
    checks: {
      title: 'issue 5',
      run: (get) => [ratioCheck(get, 'bridge', 'nginx', 0.25, 'bridge ≥ 0.25× nginx req/s'), noErrorsCheck(get, 'bridge', 'bridge run without errors')],
    },
  },
  {
    id: 'digest',
    group: 'issue6',
    title: 'GET, 1 KiB JSON through a Digest-protected http endpoint (MD5, qop=auth, nonce reuse) vs the same API without auth',
    method: 'GET',
    path: '/items/42',
    backends: ['digest', 'plain'],
    bridgeApi: ([digest, plain], target) =>
      target === 'bridge-noauth'
        ? restApi('bench', ITEMS, httpLeaf(plain!))
        : restApi('bench', ITEMS, httpLeaf(digest!, { auth: { type: 'digest', username: DIGEST_USER, password: DIGEST_PASSWORD } })),
    targets: ['bridge-noauth', 'bridge'],
    labels: {
      bridge: 'soapbridge, auth: digest, to the Digest backend (level warn, requests off)',
      'bridge-noauth': 'soapbridge, same API without auth, to a plain backend',
    },
    checks: {
      title: 'issue 6',
      run: (get) => [
        ratioCheck(get, 'bridge', 'bridge-noauth', 0.8, 'digest ≥ 0.8× no-auth req/s'),
        noErrorsCheck(get, 'bridge', 'digest run without errors (no 401/502 reached the client)'),
      ],
    },
  },
];

