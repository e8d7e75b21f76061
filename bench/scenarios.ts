import path from 'node:path';
import { JSON_1K, SOAP_REQUEST_1K } from './servers/payloads';

/**
 * What the bench measures. A scenario is one kind of request (method, path, body) plus the
 * bridge API that serves it and the targets (direct, bridge, peers) it runs against. Later
 * issues add scenarios here (Digest-protected pass-through, SOAP facade...): give the API
 * builder the config they need, and the backend mode they need in `backendMode`.
 */
export type TargetId = 'direct' | 'bridge' | 'bridge-logs' | 'nginx' | 'fast-gateway' | 'express+undici' | 'node+undici';

export interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Request path below the mount (`/bench/v1` on proxies, the root on the backend). */
  readonly path: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Size the backend answers, for the table's title. */
  readonly responseBytes: number;
  /** The bridge's API file (as a YAML-ready object) for a backend at `backendUrl`. */
  bridgeApi(backendUrl: string): Record<string, unknown>;
  /** Targets to run, in order; `direct` and `nginx` first so ratios have their base. */
  readonly targets: readonly TargetId[];
  /** Check the performance targets on this scenario. */
  readonly checkTargets?: boolean;
}

/** Every bridge API in the bench is mounted here; peers use the same prefix. */
export const MOUNT = { context: '/bench', version: 'v1' } as const;
export const PREFIX = `${MOUNT.context}/${MOUNT.version}`;

function restApi(name: string, resources: readonly { path: string; methods: readonly string[] }[], backendUrl: string): Record<string, unknown> {
  return {
    name,
    ...MOUNT,
    state: 'PUBLISHED',
    description: 'bench API (generated)',
    resources,
    // Plain base URL: the resource path and query are appended.
    endpoints: { production: { type: 'http', url: backendUrl, timeout: { ms: 10_000, connectMs: 2_000 } } },
  };
}

/**
 * A SOAP API (issue 3's pass-through: envelope inspected while it streams, operation checked
 * against the WSDL) mounted so that its root is PREFIX + '/calculator', the path every peer
 * proxies: context `/bench/v1`, version `calculator`.
 */
function soapApi(backendUrl: string): Record<string, unknown> {
  return {
    name: 'bench-soap',
    context: PREFIX,
    version: 'calculator',
    state: 'PUBLISHED',
    description: 'bench SOAP API (generated)',
    wsdl: path.resolve(__dirname, '..', '..', 'wsdl', 'Calculator.wsdl'),
    expose: { soap: true },
    endpoints: { production: { type: 'soap', url: `${backendUrl}/calculator`, timeout: { ms: 10_000, connectMs: 2_000 } } },
  };
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'get-json',
    title: 'GET, 1 KiB JSON response (REST pass-through)',
    method: 'GET',
    path: '/items/42',
    responseBytes: JSON_1K.length,
    bridgeApi: (backend) => restApi('bench', [{ path: '/items/{id}', methods: ['GET'] }], backend),
    targets: ['direct', 'nginx', 'bridge', 'bridge-logs', 'fast-gateway', 'express+undici', 'node+undici'],
    checkTargets: true,
  },
  {
    id: 'post-soap',
    title: 'POST 1 KiB SOAP envelope, 1 KiB XML response (REST resource, methods [POST])',
    method: 'POST',
    path: '/calculator',
    body: SOAP_REQUEST_1K,
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://tempuri.org/Add"' },
    responseBytes: 1024,
    bridgeApi: (backend) => restApi('bench', [{ path: '/calculator', methods: ['POST'] }], backend),
    targets: ['direct', 'nginx', 'bridge', 'fast-gateway'],
  },
  {
    id: 'soap-pass-through',
    title: 'POST 1 KiB SOAP 1.1 envelope through a SOAP API (WSDL-checked pass-through), 1 KiB back',
    method: 'POST',
    path: '/calculator',
    body: SOAP_REQUEST_1K,
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://tempuri.org/Add"' },
    responseBytes: 1024,
    bridgeApi: (backend) => soapApi(backend),
    targets: ['direct', 'nginx', 'bridge'],
  },
];
