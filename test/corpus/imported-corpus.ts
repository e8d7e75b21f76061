import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../src/config/load';
import { importApi } from '../../src/import/import-api';
import { startBridge, type RunningBridge } from '../../src/main';
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

/** importCorpus for a whole test file: imported before its tests, closed after them. */
export function useImportedCorpus(sets: readonly ManifestRow[]): () => ImportedCorpus {
  let corpus: ImportedCorpus | undefined;
  beforeAll(async () => {
    corpus = await importCorpus(sets);
  }, 120_000);
  afterAll(async () => {
    await corpus?.close();
  });
  return () => {
    if (!corpus) throw new Error('the corpus bridge did not start');
    return corpus;
  };
}
