import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { TlsConfig } from '../../config/endpoint-schema';

/** A `ca`/`cert`/`key` value that is the PEM text itself rather than a file's path. */
export function isPem(value: string): boolean {
  return value.trimStart().startsWith('-----BEGIN ');
}

/**
 * The Node TLS options of a leaf's `tls` config (also used by NTLM's own connections). `ca`,
 * `cert` and `key` are file paths or PEM text. Files are read once, here: a missing file throws
 * ENOENT when the endpoint is built.
 */
export function tlsConnectOptions(tls: TlsConfig | undefined, resolve: (p: string) => string = (p) => p): ConnectionOptions {
  if (!tls) return {};
  const read = (p: string | undefined): Buffer | undefined => (p ? (isPem(p) ? Buffer.from(p) : readFileSync(resolve(p))) : undefined);
  return {
    ...(tls.ca ? { ca: read(tls.ca) } : {}),
    ...(tls.cert ? { cert: read(tls.cert) } : {}),
    ...(tls.key ? { key: read(tls.key) } : {}),
    ...(tls.passphrase ? { passphrase: tls.passphrase } : {}),
    ...(tls.minVersion ? { minVersion: tls.minVersion } : {}),
    // allowAll skips only the hostname check; the chain is still verified against the CA.
    ...(tls.verifyHostname === 'allowAll' ? { checkServerIdentity: () => undefined } : {}),
  };
}
