import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { HttpEndpoint } from '../../../src/endpoints/leaf/http';
import type { TlsConfig } from '../../../src/config/endpoint-schema';
import { isBridgeError } from '../../../src/errors/bridge-error';
import { makePki, type Pki } from '../../utils/tls';
import { ctx, leaf, request, text } from './helpers';

/**
 * Per-endpoint TLS with certificates made by openssl for this run: a trusted CA, a CA the
 * bridge does not know, server certificates for 127.0.0.1 and for another name, a client cert.
 */
let pki: Pki;
let trusted: string;
const servers: https.Server[] = [];
let ep: HttpEndpoint | undefined;

beforeAll(() => {
  pki = makePki();
  trusted = pki.ca('trusted-ca');
  pki.ca('rogue-ca');
});
afterAll(() => pki.remove());
afterEach(async () => {
  await ep?.close();
  ep = undefined;
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function httpsServer(cert: { cert: string; key: string }, extra: https.ServerOptions = {}): Promise<string> {
  const server = https.createServer({ cert: pki.read(cert.cert), key: pki.read(cert.key), ...extra }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    res.writeHead(200);
    res.end(`ok ${(req.socket as TLSSocket).getProtocol()} client=${peer?.subject?.CN ?? '-'}`);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function call(url: string, tls: TlsConfig): Promise<string> {
  ep = leaf(url, undefined, { tls });
  return text(await ep.send(request(), ctx()));
}

async function failure(url: string, tls: TlsConfig): Promise<{ code: string; message: string }> {
  ep = leaf(url, undefined, { tls });
  const e: unknown = await ep.send(request(), ctx()).then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isBridgeError(e)) throw new Error(`expected a BridgeError, got ${String(e)}`);
  return { code: e.code, message: e.message };
}

test('a custom CA bundle and the right host name: strict passes', async () => {
  const url = await httpsServer(pki.leaf('good', 'trusted-ca', 'DNS:localhost,IP:127.0.0.1', 'serverAuth'));
  expect(await call(url, { ca: trusted })).toMatch(/^ok TLSv1\.3 client=-$/);
});

test('wrong host name: strict fails with ENDPOINT_TLS_ERROR, allowAll passes', async () => {
  const url = await httpsServer(pki.leaf('other', 'trusted-ca', 'DNS:other.example', 'serverAuth'));
  const err = await failure(url, { ca: trusted, verifyHostname: 'strict' });
  expect(err.code).toBe('ENDPOINT_TLS_ERROR');
  expect(err.message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
  await ep?.close();
  expect(await call(url, { ca: trusted, verifyHostname: 'allowAll' })).toMatch(/^ok /);
});

test('unknown CA fails, with strict and with allowAll (allowAll skips only the name check)', async () => {
  const url = await httpsServer(pki.leaf('rogue', 'rogue-ca', 'IP:127.0.0.1', 'serverAuth'));
  expect((await failure(url, { ca: trusted })).code).toBe('ENDPOINT_TLS_ERROR');
  await ep?.close();
  expect((await failure(url, { ca: trusted, verifyHostname: 'allowAll' })).code).toBe('ENDPOINT_TLS_ERROR');
  await ep?.close();
  // and the system roots do not know it either
  expect((await failure(url, {})).code).toBe('ENDPOINT_TLS_ERROR');
});

test('a backend that requires a client certificate: works with one, refuses without', async () => {
  const client = pki.leaf('bridge-client', 'trusted-ca', 'DNS:bridge', 'clientAuth');
  const url = await httpsServer(pki.leaf('mtls', 'trusted-ca', 'IP:127.0.0.1', 'serverAuth'), { ca: pki.read(trusted), requestCert: true, rejectUnauthorized: true });
  expect(await call(url, { ca: trusted, cert: client.cert, key: client.key })).toBe('ok TLSv1.3 client=bridge-client');
  await ep?.close();
  // The same given as PEM text instead of file paths.
  const pem = (f: string): string => pki.read(f).toString('utf8');
  expect(await call(url, { ca: pem(trusted), cert: pem(client.cert), key: pem(client.key) })).toBe('ok TLSv1.3 client=bridge-client');
  await ep?.close();
  const err = await failure(url, { ca: trusted });
  expect(['ENDPOINT_TLS_ERROR', 'ENDPOINT_UNREACHABLE']).toContain(err.code);
  // a certificate from another CA is refused too
  await ep?.close();
  const stranger = pki.leaf('stranger', 'rogue-ca', 'DNS:x', 'clientAuth');
  expect(['ENDPOINT_TLS_ERROR', 'ENDPOINT_UNREACHABLE']).toContain((await failure(url, { ca: trusted, cert: stranger.cert, key: stranger.key })).code);
});

test('minVersion: TLSv1.3 refuses a TLS 1.2-only backend, TLSv1.2 accepts it', async () => {
  const url = await httpsServer(pki.leaf('old', 'trusted-ca', 'IP:127.0.0.1', 'serverAuth'), { maxVersion: 'TLSv1.2' });
  expect((await failure(url, { ca: trusted, minVersion: 'TLSv1.3' })).code).toBe('ENDPOINT_TLS_ERROR');
  await ep?.close();
  expect(await call(url, { ca: trusted, minVersion: 'TLSv1.2' })).toMatch(/^ok TLSv1\.2 /);
});
