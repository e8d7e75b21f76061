import type { Logger } from 'pino';
import type { EndpointConfig, TlsConfig, AuthConfig } from '../config/endpoint-schema';
import type { Endpoint } from './endpoint';
import { HttpEndpoint } from './leaf/http';

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
}

/** Settings a group passes down to members that do not set their own (DESIGN.md: auth, tls). */
export interface Inherited {
  readonly auth?: AuthConfig;
  readonly tls?: TlsConfig;
}

/**
 * Builds the Endpoint tree of one API environment. `name` is the path of the node in the
 * config (e.g. `weather.production.members[1]`) unless the config gives a name.
 */
export function buildEndpoint(cfg: EndpointConfig, deps: EndpointDeps, name: string, inherited: Inherited = {}): Endpoint {
  const tls = ('tls' in cfg ? cfg.tls : undefined) ?? inherited.tls;
  switch (cfg.type) {
    case 'http':
    case 'soap':
      return new HttpEndpoint({
        name: cfg.name ?? name,
        type: cfg.type,
        url: cfg.url,
        appendPath: cfg.type === 'http',
        connectTimeoutMs: cfg.timeout?.connectMs ?? deps.defaultConnectTimeoutMs,
        responseTimeoutMs: cfg.timeout?.ms ?? deps.defaultResponseTimeoutMs,
        connections: deps.connections,
        tls,
        resolvePath: deps.resolvePath,
      });
    case 'wsdl': {
      if (!deps.wsdlAddress) throw new Error(`${name}: a "wsdl" endpoint needs the API's WSDL`);
      const addr = deps.wsdlAddress(cfg.service, cfg.port);
      return new HttpEndpoint({
        name: cfg.name ?? name,
        type: 'wsdl',
        url: addr.url,
        appendPath: false,
        connectTimeoutMs: cfg.timeout?.connectMs ?? deps.defaultConnectTimeoutMs,
        responseTimeoutMs: cfg.timeout?.ms ?? deps.defaultResponseTimeoutMs,
        connections: deps.connections,
        tls,
        resolvePath: deps.resolvePath,
      });
    }
    default:
      throw new Error(`${name}: endpoint type "${cfg.type}" is not supported yet`);
  }
}
