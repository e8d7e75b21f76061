import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../src/config/load';
import { importApi } from '../../src/import/import-api';
import { startBridge, type RunningBridge } from '../../src/main';
import type { WsdlModel } from '../../src/wsdl/model';
import { expectationOf, parseManifest, type ManifestRow } from '../../scripts/corpus-manifest';
import { CORPUS } from '../unit/wsdl/helpers';

/** The corpus sets that import offline (no remote schemaLocation), optionally narrowed. */
export function offlineSets(keep: (s: ManifestRow) => boolean = () => true): ManifestRow[] {
  return parseManifest(readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8')).filter((s) => expectationOf(s) === 'ok' && !s.features.includes('remote-schemaLocation') && keep(s));
}

export interface ImportedCorpus {
  readonly bridge: RunningBridge;
  close(): Promise<void>;
}

/**
 * Every set goes through `soapbridge import` (what users do: copied under wsdl/SET/ with its
 * import locations rewritten, an API file written) into a temp config, then one bridge serves
 * them all. `production` replaces the imported endpoint (e.g. a loopback backend) and `api`
 * overrides other keys of each API file (state, expose; per set when a function). The corpus
 * itself is read-only input.
 */
export async function importCorpus(
  sets: readonly ManifestRow[],
  production?: Record<string, unknown>,
  api: Record<string, unknown> | ((s: ManifestRow) => Record<string, unknown>) = {},
): Promise<ImportedCorpus> {
  const root = mkdtempSync(path.join(tmpdir(), 'soapbridge-corpus-bridge-'));
  try {
    mkdirSync(path.join(root, 'config', 'apis'), { recursive: true });
    const configFile = path.join(root, 'config', 'soapbridge.yaml');
    writeFileSync(configFile, stringify({ server: { http: { host: '127.0.0.1', port: 0 } }, admin: { host: '127.0.0.1', port: 0 }, apis: 'apis', logging: { level: 'silent' } }));
    for (const s of sets) {
      const { apiFile } = await importApi({ source: path.join(CORPUS, s.set, s.entry), name: s.set }, loadConfig(configFile, {}));
      if (production) writeFileSync(apiFile, stringify({ ...(parse(readFileSync(apiFile, 'utf8')) as object), endpoints: { production }, ...(typeof api === 'function' ? api(s) : api) }));
    }
    const bridge = await startBridge(loadConfig(configFile, {}), { log: pino({ level: 'silent' }), defaultMetrics: false });
    return {
      bridge,
      close: async () => {
        await bridge.close();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
}

/**
 * A corpus bridge for a whole test file (or describe block): started before its tests by
 * `start` (default: importCorpus(sets)), closed after them.
 */
export function useCorpus(start: () => Promise<ImportedCorpus>): () => ImportedCorpus {
  let corpus: ImportedCorpus | undefined;
  beforeAll(async () => {
    corpus = await start();
  }, 120_000);
  afterAll(async () => {
    await corpus?.close();
  });
  return () => {
    if (!corpus) throw new Error('the corpus bridge did not start');
    return corpus;
  };
}

/** useCorpus of importCorpus(sets), the imported endpoints as they are. */
export function useImportedCorpus(sets: readonly ManifestRow[]): () => ImportedCorpus {
  return useCorpus(() => importCorpus(sets));
}

export const SOAP_ENV = { '1.1': 'http://schemas.xmlsoap.org/soap/envelope/', '1.2': 'http://www.w3.org/2003/05/soap-envelope' } as const;

/**
 * importCorpus with every API pointed at one loopback backend that answers any SOAP request
 * with an empty Body of the request's version: for tests about what the bridge does on the way.
 */
export async function importCorpusToEmptyBackend(sets: readonly ManifestRow[]): Promise<ImportedCorpus> {
  const backend = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const v = String(req.headers['content-type']).startsWith('application/soap+xml') ? '1.2' : '1.1';
      res.writeHead(200, { 'content-type': v === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8' });
      res.end(`<e:Envelope xmlns:e="${SOAP_ENV[v]}"><e:Body/></e:Envelope>`);
    });
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const closeBackend = async (): Promise<void> => {
    backend.closeAllConnections();
    await new Promise((r) => backend.close(r));
  };
  try {
    const corpus = await importCorpus(sets, { type: 'soap', url: `http://127.0.0.1:${(backend.address() as AddressInfo).port}/` });
    return {
      bridge: corpus.bridge,
      close: async () => {
        await corpus.close();
        await closeBackend();
      },
    };
  } catch (e) {
    await closeBackend();
    throw e;
  }
}

/** The WSDL model of API `set` in the running bridge. */
function modelOf(bridge: RunningBridge, set: string): WsdlModel | undefined {
  return bridge.gateway.apis().find((a) => a.name === set)?.soap?.model;
}

/**
 * The key (Operation.key) of operation `name` on `port` of API `set`: what the bridge's metrics
 * count it under (`PortType.name` where portTypes share the name, as Travelport's "service").
 */
export function operationKeyOf(bridge: RunningBridge, set: string, port: string, name: string): string {
  return modelOf(bridge, set)?.operations.find((o) => o.port === port && o.name === name)?.key ?? `${name} (no such operation on port ${port})`;
}

/**
 * Compares what a test sent (`SET|operation key` → calls) with what the bridge's per-operation
 * metrics say it identified; each disagreement as a line. `byName`: for a client that calls by
 * name alone (PHP's __soapCall cannot choose among operations sharing one), `sent` holds
 * `SET|name` and the bridge's keys are compared by their operation's name.
 */
export async function misidentified(bridge: RunningBridge, sent: ReadonlyMap<string, number>, opts: { byName?: boolean } = {}): Promise<string[]> {
  const identified = new Map<string, number>();
  for (const m of (await bridge.metrics.soapOperations.get()).values) {
    const api = String(m.labels.api);
    const key = String(m.labels.operation);
    const label = `${api}|${opts.byName ? (modelOf(bridge, api)?.operations.find((o) => o.key === key)?.name ?? key) : key}`;
    identified.set(label, (identified.get(label) ?? 0) + m.value);
  }
  return [...new Set([...sent.keys(), ...identified.keys()])].filter((k) => (sent.get(k) ?? 0) !== (identified.get(k) ?? 0)).map((k) => `${k}: sent ${sent.get(k) ?? 0}, identified ${identified.get(k) ?? 0}`);
}
