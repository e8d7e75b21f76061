import type { Logger } from 'pino';
import type { BridgeConfig } from './config/schema';
import { createLogger } from './observability/logger';
import { GatewayMetrics } from './observability/metrics';
import { Gateway } from './gateway/gateway';
import { soapHandler } from './gateway/soap-handler';
import { facadeHandler } from './gateway/facade-handler';
import { createServiceApp } from './gateway/service-app';
import { createAdminApp } from './admin/admin-app';
import { httpBindingHandler } from './gateway/http-binding-handler';
import { closeServer, createHttpServer, createHttpsServer, listen, type AnyServer } from './gateway/listeners';
import type { DemoServer } from './demo/demo-backend';
import { createReloader } from './config/reload';
import { sourceFilesOf } from './wsdl/index';
import { sweepStaleTempFiles } from './config/atomic-write';
import { createEndpointMetrics } from './endpoints/metrics';

export interface RunningBridge {
  readonly config: BridgeConfig;
  readonly gateway: Gateway;
  readonly metrics: GatewayMetrics;
  /** Actual listener URLs (ports resolved when configured as 0). */
  readonly urls: { readonly http?: string; readonly https?: string; readonly admin?: string; readonly demo?: string };
  /** Re-reads the config from disk; a bad config keeps the running one (returns false). */
  reload(reason?: string): Promise<boolean>;
  /** Graceful stop: no new connections, requests in flight finish (up to shutdownGraceMs). */
  close(): Promise<void>;
}

/**
 * Wiring only: config -> demo backend (if enabled) -> gateway -> listeners.
 *
 * @example const bridge = await startBridge(loadConfig('config/soapbridge.yaml'));
 */
export async function startBridge(config: BridgeConfig, opts: { log?: Logger; defaultMetrics?: boolean; watch?: boolean } = {}): Promise<RunningBridge> {
  const log = opts.log ?? createLogger(config.logging.level);
  const metrics = new GatewayMetrics({ defaultMetrics: opts.defaultMetrics });
  const swept = sweepStaleTempFiles(config.apisDir);
  if (swept > 0) log.info({ dir: config.apisDir, swept }, 'removed temp files left by an interrupted write');
  let demo: DemoServer | undefined;
  if (config.demo?.enabled) {
    // Loaded only here: the demo pulls in the `soap` package (≈ 40 ms of start-up) that nothing else needs.
    const { startDemoBackend } = await import('./demo/demo-backend');
    demo = await startDemoBackend(config.demo.host, config.demo.port);
    log.warn({ url: demo.url }, 'DEMO backend started in-process (demo.enabled in config): not for production');
  }
  let gateway: Gateway | undefined;
  const app = createServiceApp({ isReady: () => gateway !== undefined && !gateway.isDraining });
  gateway = await Gateway.create(config, app, log, metrics, { metrics: createEndpointMetrics(metrics.registry) });
  const g = gateway;
  g.use(soapHandler(() => g.currentConfig, metrics));
  g.use(httpBindingHandler(() => g.currentConfig));
  g.use(facadeHandler(() => g.currentConfig));
  const reloader = createReloader(config.file, (next) => g.reload(next), log, {
    watch: opts.watch ?? false,
    apisDir: config.apisDir,
    // An edited WSDL or XSD reloads like an edited API file (unchanged bundles are reused).
    sourceFiles: () => g.apis().flatMap((a) => (a.soap ? sourceFilesOf(a.soap.model) : [])),
  });
  const servers: AnyServer[] = [];
  const urls: { http?: string; https?: string; admin?: string; demo?: string } = { ...(demo ? { demo: demo.url } : {}) };
  try {
    if (config.server.http) {
      const s = createHttpServer(g.listener);
      servers.push(s);
      urls.http = await listen(s, config.server.http.port, config.server.http.host);
    }
    if (config.server.https) {
      const s = createHttpsServer(g.listener, config.server.https.cert, config.server.https.key, config.baseDir);
      servers.push(s);
      urls.https = await listen(s, config.server.https.port, config.server.https.host);
    }
    if (config.admin) {
      const s = createHttpServer(createAdminApp({ gateway: g, metrics, token: config.admin.token, reload: (why) => reloader.attempt(why) }));
      servers.push(s);
      urls.admin = await listen(s, config.admin.port, config.admin.host);
    }
  } catch (e) {
    reloader.close();
    await Promise.all(servers.map((s) => closeServer(s, Promise.resolve())));
    await g.close();
    await demo?.close();
    throw e;
  }
  log.info({ ...urls, apis: g.apis().map((a) => `${a.mount} (${a.name})`) }, 'soapbridge started');
  let closing: Promise<void> | undefined;
  return {
    config,
    gateway: g,
    metrics,
    urls,
    reload: (reason = 'requested') => reloader.reload(reason),
    close() {
      closing ??= (async () => {
        reloader.close();
        g.startDraining();
        const drained = g.whenIdle(config.server.shutdownGraceMs);
        await Promise.all(servers.map((s) => closeServer(s, drained)));
        await g.close();
        await demo?.close();
        log.info('soapbridge stopped');
      })();
      return closing;
    },
  };
}
