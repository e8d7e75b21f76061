import { parseArgs } from 'node:util';
import path from 'node:path';
import { loadConfig, DEFAULT_CONFIG_FILE } from '../config/load';
import { ConfigError, formatProblem } from '../config/problems';
import { importApi } from '../import/import-api';

/** `soapbridge import SOURCE --name N [--context /x] [--version v1] [--force] [--timeout MS]` (MS: per-document fetch timeout) */
export async function runImport(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string', short: 'n' },
      context: { type: 'string' },
      version: { type: 'string', default: 'v1' },
      config: { type: 'string', short: 'c', default: DEFAULT_CONFIG_FILE },
      force: { type: 'boolean', default: false },
      timeout: { type: 'string' },
    },
  });
  const source = positionals[0];
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
  if (!source || !values.name || (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0))) {
    process.stderr.write('usage: soapbridge import SOURCE --name NAME [--context /x] [--version v1] [--force] [--timeout MS]\n');
    return 2;
  }
  const config = loadConfig(values.config);
  const started = Date.now();
  try {
    const r = await importApi(
      {
        source,
        name: values.name,
        version: values.version,
        force: values.force,
        ...(values.context ? { context: values.context } : {}),
        ...(timeoutMs !== undefined ? { limits: { fetchTimeoutMs: timeoutMs } } : {}),
        onProgress: (m) => process.stderr.write(`  ${m}\n`),
      },
      config,
    );
    process.stdout.write(r.summary + '\n');
    process.stdout.write(`wrote ${path.relative(process.cwd(), r.entry)} (+${r.documents - 1} imported document(s)) and ${path.relative(process.cwd(), r.apiFile)} in ${Date.now() - started} ms\n`);
    if (r.soapPorts === 0) process.stdout.write('note: no SOAP port with an address: set endpoints.production in the API file\n');
    return 0;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) process.stderr.write(formatProblem(p) + '\n');
    return 1;
  }
}
