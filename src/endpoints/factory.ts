import type { Logger } from 'pino';
import type { EndpointConfig, TlsConfig, AuthConfig, FailoverOnConfig, HealthCheckConfig, SuspensionConfig } from '../config/endpoint-schema';
import type { Endpoint } from './endpoint';
import { createPrototypeEndpoint } from '../prototype/index';
import type { WsdlModel } from '../wsdl/model';
import { HttpEndpoint } from './leaf/http';
import { SuspendingEndpoint } from './suspending';
import { suspensionPolicy, type SuspensionPolicy } from './state';
import { compileFailoverOn } from './group/failover-on';
import { FailoverEndpoint } from './group/failover';
import { LoadBalanceEndpoint } from './group/loadbalance';
import { DynamicEndpoint } from './dynamic/dynamic';
import { compileRule } from './dynamic/rules';
import { HealthCheck } from './health-check';
import type { EndpointMetrics } from './metrics';
import type { BackendAuth } from '../auth/backend-auth';

/** What building an endpoint tree needs from the rest of the bridge. */
export interface EndpointDeps {
  readonly log: Logger;
  /** Resolves a file path from config (TLS material) against the API file's folder. */
  readonly resolvePath: (p: string) => string;
  /** Keep-alive sockets per backend origin. */
  readonly connections: number;
  readonly defaultConnectTimeoutMs: number;
  readonly defaultResponseTimeoutMs: number;
  /** Bodies up to this size are buffered so groups can re-send them. */
  readonly maxReplayBytes: number;
  /** For `wsdl` leaves: the soap:address of a service/port of the API's WSDL. */
  readonly wsdlAddress?: (service?: string, port?: string) => { url: string; soapVersion: '1.1' | '1.2' };
  /** Prometheus metrics per leaf (metrics.ts `createEndpointMetrics(registry)`). */
  readonly metrics?: EndpointMetrics;
  /** Bridge-wide suspension defaults under each leaf's own `suspension`. */
  readonly suspension?: Partial<SuspensionPolicy>;
  /** Builds a leaf's backend authentication (auth/); without it, `auth` is only warned about. */
  /** The API's WSDL model, for prototype endpoints that generate SOAP responses. */
  readonly wsdlModel?: WsdlModel;
  readonly backendAuth?: (auth: AuthConfig, leaf: AuthLeaf) => BackendAuth;
  /** Injected for tests; Date.now by default. */
  readonly clock?: () => number;
}

/** Settings a group passes down to members that do not set their own (DESIGN.md: auth, tls). */
export interface Inherited {
  readonly auth?: AuthConfig;
  readonly tls?: TlsConfig;
  /** The nearest enclosing group's `failoverOn`: its members' leaves check their responses. */
  readonly failoverOn?: FailoverOnConfig;
}

/** What an auth implementation may need of its leaf (NTLM opens its own connections). */
export interface AuthLeaf {
  readonly name: string;
  readonly tls?: TlsConfig;
  readonly connectTimeoutMs: number;
  readonly responseTimeoutMs: number;
  readonly connections: number;
}

interface LeafSettings {
  readonly name: string;
  readonly kind: 'http' | 'soap';
  readonly soapVersion?: '1.1' | '1.2';
  readonly suspension?: SuspensionConfig;
  readonly healthCheck?: HealthCheckConfig;
}

/**
 * Builds the Endpoint tree of one API environment. `name` is the path of the node in the
 * config (e.g. `weather.production.members[1]`) unless the config gives a name. Every http,
 * soap and wsdl leaf is wrapped in a SuspendingEndpoint (plus its health check when configured).
 */
export function buildEndpoint(cfg: EndpointConfig, deps: EndpointDeps, name: string, inherited: Inherited = {}): Endpoint {
  const tls = ('tls' in cfg ? cfg.tls : undefined) ?? inherited.tls;
  const auth = ('auth' in cfg ? cfg.auth : undefined) ?? inherited.auth;
  const own = cfg.name ?? name;
  const leaf = (url: string, appendPath: boolean): HttpEndpoint => {
    const settings: AuthLeaf = {
      name: own,
      ...(tls ? { tls } : {}),
      connectTimeoutMs: ('timeout' in cfg ? cfg.timeout?.connectMs : undefined) ?? deps.defaultConnectTimeoutMs,
      responseTimeoutMs: ('timeout' in cfg ? cfg.timeout?.ms : undefined) ?? deps.defaultResponseTimeoutMs,
      connections: deps.connections,
    };
    if (tls?.verifyHostname === 'allowAll') {
      deps.log.warn({ endpoint: own, url }, 'tls.verifyHostname is allowAll: the backend certificate is not checked against its host name');
    }
    return new HttpEndpoint({
      ...settings,
      type: cfg.type,
      url,
      appendPath,
      resolvePath: deps.resolvePath,
      ...(auth ? authFor(auth, settings, deps) : {}),
    });
  };
  const down = (failoverOn: FailoverOnConfig | undefined): Inherited => ({ auth, tls, failoverOn: failoverOn ?? inherited.failoverOn });
  switch (cfg.type) {
    case 'http':
    case 'soap': {
      const s = { name: own, kind: cfg.type, suspension: cfg.suspension, healthCheck: cfg.healthCheck } as const;
      return wrapLeaf(leaf(cfg.url, cfg.type === 'http'), { ...s, ...(cfg.type === 'soap' ? { soapVersion: cfg.soapVersion } : {}) }, deps, inherited);
    }
    case 'wsdl': {
      if (!deps.wsdlAddress) throw new Error(`${name}: a "wsdl" endpoint needs the API's WSDL`);
      const addr = deps.wsdlAddress(cfg.service, cfg.port);
      const s: LeafSettings = { name: own, kind: 'soap', soapVersion: addr.soapVersion, suspension: cfg.suspension, healthCheck: cfg.healthCheck };
      return wrapLeaf(leaf(addr.url, false), s, deps, inherited);
    }
    case 'failover':
      return new FailoverEndpoint({
        name: own,
        members: cfg.members.map((m, i) => buildEndpoint(m, deps, `${own}.members[${i}]`, down(cfg.failoverOn))),
        sticky: cfg.sticky,
        maxReplayBytes: cfg.maxReplayBytes ?? deps.maxReplayBytes,
        clock: deps.clock,
      });
    case 'loadbalance':
      return new LoadBalanceEndpoint({
        name: own,
        members: cfg.members.map((m, i) => buildEndpoint(m, deps, `${own}.members[${i}]`, down(cfg.failoverOn))),
        algorithm: cfg.algorithm,
        weights: cfg.members.map((m) => m.weight ?? 1),
        affinity: cfg.affinity,
        maxReplayBytes: cfg.maxReplayBytes ?? deps.maxReplayBytes,
        clock: deps.clock,
      });
    case 'dynamic':
      return new DynamicEndpoint({
        name: own,
        routes: cfg.rules.map((r, i) => ({
          rule: compileRule(r, `${own}.rules[${i}]`),
          endpoint: buildEndpoint(r.endpoint, deps, `${own}.rules[${i}]`, down(undefined)),
        })),
        fallback: cfg.default ? buildEndpoint(cfg.default, deps, `${own}.default`, down(undefined)) : undefined,
        maxReplayBytes: deps.maxReplayBytes,
        clock: deps.clock,
      });
    case 'prototype':
      return createPrototypeEndpoint(cfg, { name: own, log: deps.log, ...(deps.wsdlModel ? { model: deps.wsdlModel } : {}) });
  }
}

function authFor(auth: AuthConfig, leaf: AuthLeaf, deps: EndpointDeps): { auth?: BackendAuth } {
  if (deps.backendAuth) return { auth: deps.backendAuth(auth, leaf) };
  deps.log.warn({ endpoint: leaf.name, auth: auth.type }, 'backend auth is configured but no implementation was wired: requests go without it');
  return {};
}

function wrapLeaf(http: HttpEndpoint, s: LeafSettings, deps: EndpointDeps, inherited: Inherited): SuspendingEndpoint {
  const leaf = new SuspendingEndpoint(http, {
    policy: suspensionPolicy({ ...deps.suspension, ...definedOnly(s.suspension) }),
    failoverOn: compileFailoverOn(inherited.failoverOn),
    clock: deps.clock,
  });
  leaf.on('stateChange', (c) => {
    const fields = { endpoint: c.endpoint, from: c.from.kind, to: c.to.kind, cause: c.cause, ...(c.to.kind === 'SUSPENDED' ? { suspendedMs: c.to.lastSuspendMs } : {}) };
    if (c.to.kind === 'ACTIVE') deps.log.info(fields, 'endpoint is active again');
    else deps.log.warn(fields, `endpoint ${c.to.kind === 'SUSPENDED' ? 'suspended' : 'timed out'}`);
  });
  deps.metrics?.observe(leaf);
  if (s.healthCheck) {
    const hc = new HealthCheck(leaf, { ...s.healthCheck, kind: s.kind, soapVersion: s.soapVersion, log: deps.log }).start();
    leaf.onClose(() => hc.close());
  }
  return leaf;
}

/** `{ initialMs: undefined }` must not hide a default when spread over it. */
function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
