import path from 'node:path';
import type { Logger } from 'pino';
import type { ApiConfig, LoadedApi, BridgeConfig } from '../config/schema';
import type { Endpoint } from '../endpoints/endpoint';
import { buildEndpoint, type EndpointDeps } from '../endpoints/factory';
import { compileResource, ResourceTable } from '../rest/resource-matcher';
import type { ResourceConfig } from '../config/schema';
import { loadSoapApi, type SoapApi } from './soap-api';
import { checkOperationKeys } from '../soap/operation-keys';
import type { WsdlModel } from '../wsdl/model';
import { createBackendAuth } from '../auth/index';
import { buildFacade, type Facade, type FacadeOptions } from '../facade/index';
import type { Operation } from '../wsdl/model';

/** Everything the hot path needs about one API, built once per (re)load. */
export interface ApiRuntime {
  readonly name: string;
  readonly mount: string;
  readonly config: ApiConfig;
  readonly file: string;
  readonly resources: ResourceTable<ResourceConfig> | null;
  readonly production: Endpoint | null;
  readonly sandbox: Endpoint | null;
  /** Present when the API has a `wsdl`. */
  readonly soap: SoapApi | null;
  /** The REST facade of a SOAP API with `expose.rest`. */
  readonly facade: Facade | null;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_RESPONSE_TIMEOUT_MS = 30_000;

/** `serving`: the bridge is already taking traffic (a reload), so WSDL compiles go to a worker thread. */
export interface BuildOptions {
  readonly serving?: boolean;
}

/** Models whose unsupported constructs were logged: once per WSDL content, not at every reload. */
const reported = new WeakSet<WsdlModel>();
const MAX_REPORTED = 20;

/**
 * What the importer did not understand in an API's WSDL (opaque remote schemas, constructs the
 * facade cannot map, …) is said in the log when the API is first built from it: `soapbridge
 * import` prints it, but a WSDL placed by hand would otherwise be served in silence.
 */
function reportUnsupported(model: WsdlModel, api: string, wsdl: string, log: Logger): void {
  if (model.unsupported.length === 0 || reported.has(model)) return;
  reported.add(model);
  const list = model.unsupported.slice(0, MAX_REPORTED).map((u) => `${u.construct} (${u.where})`);
  log.warn({ api, wsdl, count: model.unsupported.length, unsupported: list }, 'WSDL constructs the bridge does not support (served as far as understood)');
}

export async function buildApiRuntime(loaded: LoadedApi, bridge: BridgeConfig, log: Logger, extra: Partial<EndpointDeps> = {}, build: BuildOptions = {}): Promise<ApiRuntime> {
  const { config, file } = loaded;
  const dir = path.dirname(file);
  const soap = config.wsdl ? await loadSoapApi(path.resolve(dir, config.wsdl), { offThread: build.serving === true }) : null;
  if (soap) reportUnsupported(soap.model, config.name, config.wsdl!, log);
  checkOperationKeys(file, config.operations, soap?.model ?? null);
  const deps: EndpointDeps = {
    log,
    resolvePath: (p) => path.resolve(dir, p),
    connections: bridge.server.backendConnections,
    defaultConnectTimeoutMs: config.timeout?.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    defaultResponseTimeoutMs: config.timeout?.ms ?? DEFAULT_RESPONSE_TIMEOUT_MS,
    maxReplayBytes: bridge.server.limits.maxReplayBytes,
    backendAuth: (auth, leaf) =>
      createBackendAuth(auth, {
        log,
        resolvePath: (p) => path.resolve(dir, p),
        maxReplayBytes: bridge.server.limits.maxReplayBytes,
        maxBodyBytes: bridge.server.limits.maxBodyBytes,
        endpoint: leaf.name,
        ...(leaf.tls ? { tls: leaf.tls } : {}),
        connectTimeoutMs: leaf.connectTimeoutMs,
        responseTimeoutMs: leaf.responseTimeoutMs,
        connections: leaf.connections,
      }),
    ...(soap ? { wsdlModel: soap.model } : {}),
    ...(soap ? { wsdlAddress: (service?: string, port?: string) => soap.address(service, port) } : {}),
    ...extra,
  };
  const inherited = { auth: config.auth, tls: config.tls };
  const resources = config.resources?.length
    ? new ResourceTable(config.resources.map((r) => compileResource(r.path, r.methods, r)))
    : null;
  return {
    name: config.name,
    mount: `${config.context}/${config.version}`,
    config,
    file,
    resources,
    soap,
    facade: soap && config.expose?.rest ? buildFacade(soap.model, facadeOptions(config)) : null,
    production: config.endpoints.production ? buildEndpoint(config.endpoints.production, deps, `${config.name}.production`, inherited) : null,
    sandbox: config.endpoints.sandbox ? buildEndpoint(config.endpoints.sandbox, deps, `${config.name}.sandbox`, inherited) : null,
  };
}

export async function closeApiRuntime(api: ApiRuntime): Promise<void> {
  await Promise.allSettled([api.production?.close(), api.sandbox?.close()]);
}

/** The REST facade's options from an API definition (also used by `soapbridge openapi`). */
export function facadeOptions(config: ApiConfig): FacadeOptions {
  return {
    ...(config.faultStatus ? { faultStatus: config.faultStatus } : {}),
    ...(config.facade?.port ? { port: config.facade.port } : {}),
    ...(config.facade?.maxArrayItems ? { maxArrayItems: config.facade.maxArrayItems } : {}),
    ...(config.facade?.maxDepth ? { maxDepth: config.facade.maxDepth } : {}),
  };
}

/**
 * Whether a SOAP operation's request may be re-sent after it may have reached a backend: as
 * configured under `operations`, else true for a WSDL 2.0 `wsdlx:safe` operation (safe implies
 * idempotent), else false.
 */
export function operationIdempotent(api: ApiRuntime, op: Operation): boolean {
  return api.config.operations?.[op.key]?.idempotent ?? op.safe ?? false;
}
