import { accessSync, constants, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { loadConfig, DEFAULT_CONFIG_FILE } from '../config/load';
import { ConfigError, formatProblem } from '../config/problems';
import { importApi } from '../import/import-api';
import type { SourceAuth } from '../import/source-access';
import type { TlsConfig } from '../config/endpoint-schema';

const USAGE =
  'usage: soapbridge import SOURCE --name NAME [--context /x] [--version v1] [--force] [--timeout MS]\n' +
  '                         [--user USER[:PASSWORD]] [--auth basic|digest|ntlm] [--ca FILE] [--cert FILE --key FILE]\n';

/**
 * `soapbridge import SOURCE --name N [--context /x] [--version v1] [--force] [--timeout MS]
 * [--user USER[:PASSWORD]] [--auth basic|digest|ntlm]` (MS: per-document fetch timeout).
 * `--user` authenticates to the source URL's host (Basic unless `--auth` says otherwise); without
 * `:PASSWORD` the password comes from SOAPBRIDGE_IMPORT_PASSWORD, which keeps it out of shell
 * history and process lists. For NTLM, USER may be `DOMAIN\user`. `--ca` trusts a private CA and
 * `--cert`/`--key` present a client certificate, both to the source URL's host only (the key's
 * passphrase, if any, from SOAPBRIDGE_IMPORT_KEY_PASSPHRASE).
 */
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
      user: { type: 'string', short: 'u' },
      auth: { type: 'string' },
      ca: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
    },
  });
  const source = positionals[0];
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
  if (!source || !values.name || (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0))) {
    process.stderr.write(USAGE);
    return 2;
  }
  const auth = sourceAuthOf(values.user, values.auth, process.env);
  const tls = sourceTlsOf(values.ca, values.cert, values.key, process.env);
  if (typeof auth === 'string' || typeof tls === 'string') {
    process.stderr.write(`${typeof auth === 'string' ? auth : tls}\n${USAGE}`);
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
        ...(auth ? { auth } : {}),
        ...(tls ? { tls } : {}),
        onProgress: (m) => process.stderr.write(`  ${m}\n`),
      },
      config,
    );
    process.stdout.write(r.summary + '\n');
    process.stdout.write(`wrote ${path.relative(process.cwd(), r.entry)} (+${r.documents - 1} imported document(s)) and ${path.relative(process.cwd(), r.apiFile)} in ${Date.now() - started} ms\n`);
    if (r.soapPorts === 0) process.stdout.write('note: no SOAP port with an http(s) address the bridge can call: set endpoints.production.url in the API file\n');
    return 0;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) process.stderr.write(formatProblem(p) + '\n');
    return 1;
  }
}

/** `--user` / `--auth` as source credentials, or what is wrong with them. */
export function sourceAuthOf(user: string | undefined, type: string | undefined, env: NodeJS.ProcessEnv): SourceAuth | undefined | string {
  if (user === undefined) return type === undefined ? undefined : '--auth needs --user';
  if (type !== undefined && type !== 'basic' && type !== 'digest' && type !== 'ntlm') return `--auth must be basic, digest or ntlm, not "${type}"`;
  const colon = user.indexOf(':');
  const password = colon >= 0 ? user.slice(colon + 1) : env['SOAPBRIDGE_IMPORT_PASSWORD'];
  if (password === undefined) return '--user USER without ":PASSWORD" needs SOAPBRIDGE_IMPORT_PASSWORD';
  const name = colon >= 0 ? user.slice(0, colon) : user;
  if (type === 'ntlm') {
    const slash = name.indexOf('\\');
    return slash >= 0 ? { type, username: name.slice(slash + 1), password, domain: name.slice(0, slash) } : { type, username: name, password };
  }
  return { type: type ?? 'basic', username: name, password };
}

/** `--ca` / `--cert` / `--key` as TLS settings for the source (absolute paths), or what is wrong with them. */
export function sourceTlsOf(ca: string | undefined, cert: string | undefined, key: string | undefined, env: NodeJS.ProcessEnv): TlsConfig | undefined | string {
  if ((cert === undefined) !== (key === undefined)) return '--cert and --key go together';
  if (ca === undefined && cert === undefined) return undefined;
  for (const [flag, file] of [['--ca', ca], ['--cert', cert], ['--key', key]] as const) {
    if (file !== undefined && !isReadableFile(file)) return `${flag} ${file}: not a readable file`;
  }
  const passphrase = env['SOAPBRIDGE_IMPORT_KEY_PASSPHRASE'];
  return {
    ...(ca !== undefined ? { ca: path.resolve(ca) } : {}),
    ...(cert !== undefined && key !== undefined ? { cert: path.resolve(cert), key: path.resolve(key) } : {}),
    ...(passphrase ? { passphrase } : {}),
  };
}

function isReadableFile(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
