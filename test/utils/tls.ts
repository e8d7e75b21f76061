import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Test PKI made with the openssl CLI: two CAs (one trusted by the test, one not), server
 * certificates for chosen names, and a client certificate. Files live in a temp folder that
 * `remove()` deletes.
 */
export interface Pki {
  readonly dir: string;
  /** A CA and the path of its certificate. */
  ca(name: string): string;
  /** A leaf certificate signed by CA `ca` with the given SANs (e.g. 'DNS:localhost,IP:127.0.0.1'). */
  leaf(name: string, ca: string, san: string, usage: 'serverAuth' | 'clientAuth'): { cert: string; key: string };
  read(file: string): Buffer;
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

export function makePki(): Pki {
  const dir = mkdtempSync(path.join(tmpdir(), 'soapbridge-pki-'));
  const p = (f: string): string => path.join(dir, f);
  return {
    dir,
    ca(name) {
      openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`,
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
      return p(`${name}.crt`);
    },
    leaf(name, ca, san, usage) {
      openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
      writeFileSync(p(`${name}.ext`), `subjectAltName=${san}\nextendedKeyUsage=${usage}\nbasicConstraints=CA:FALSE\n`);
      openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
      return { cert: p(`${name}.crt`), key: p(`${name}.key`) };
    },
    read: (file) => readFileSync(file),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
