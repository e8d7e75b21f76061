import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HttpEndpoint } from '../../../src/endpoints/leaf/http';
import { LoadBalanceEndpoint } from '../../../src/endpoints/group/loadbalance';
import type { BackendResponse } from '../../../src/endpoints/endpoint';
import { ctx, leaf, post, request, streamed, text } from './helpers';
import { sourceAuthOf } from '../../../src/cli/import';
import { prepareImport } from '../../../src/import/import-api';
import type { SourceAuth } from '../../../src/import/source-access';

/**
 * NTLM against a server built on a real NTLM library (python3-ntlm-auth, Debian), which verifies
 * the NTLMv2 response of the AUTHENTICATE message. MD4 needs OpenSSL's legacy provider, switched
 * on for the server process only. Skipped with a message when the library is not installed.
 */
const PYTHON = '/usr/bin/python3';
const dir = mkdtempSync(path.join(tmpdir(), 'soapbridge-ntlm-'));
const opensslConf = path.join(dir, 'openssl.cnf');
writeFileSync(
  opensslConf,
  'openssl_conf = openssl_init\n[openssl_init]\nproviders = provider_sect\n[provider_sect]\ndefault = default_sect\nlegacy = legacy_sect\n[default_sect]\nactivate = 1\n[legacy_sect]\nactivate = 1\n',
);
const env = { ...process.env, OPENSSL_CONF: opensslConf };
const probe = spawnSync(PYTHON, ['-c', 'from ntlm_auth.compute_hash import _ntowfv2; _ntowfv2("u","p","d")'], { env });
const available = probe.status === 0;
if (!available) console.warn(`NTLM interop tests skipped: ${PYTHON} with ntlm_auth and MD4 is not available (apt-get install python3-ntlm-auth)`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface NtlmServer {
  url: string;
  stop(): void;
}
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill()));

async function ntlmServer(user: string, password: string, domain: string): Promise<NtlmServer> {
  const child = spawn(PYTHON, [path.join(__dirname, 'ntlm-server.py'), user, password, domain], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`ntlm server exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

const total = (res: BackendResponse): number => Number(res.headers['x-total']);
const conn = (res: BackendResponse): string => String(res.headers['x-conn']);

(available ? describe : describe.skip)('NTLM against an ntlm-auth server', () => {
  let server: NtlmServer;
  let ep: HttpEndpoint | undefined;
  afterEach(async () => {
    await ep?.close();
    ep = undefined;
    server?.stop();
  });

  test('a WSDL behind NTLM is imported (soapbridge import --user CORP\\svc --auth ntlm)', async () => {
    server = await ntlmServer('svc', 'Pässword1', 'CORP');
    const staging = path.join(dir, 'staging');
    const job = { source: `${server.url}/Customer?wsdl`, staging, wsdlDir: staging };
    await expect(prepareImport(job, () => undefined)).rejects.toThrow(/HTTP 401 from/);
    const auth = sourceAuthOf('CORP\\svc:Pässword1', 'ntlm', {});
    expect(auth).toEqual({ type: 'ntlm', username: 'svc', password: 'Pässword1', domain: 'CORP' });
    const done = await prepareImport({ ...job, auth: auth as SourceAuth }, () => undefined);
    expect(done.summary).toContain('Customer_Service/Customer_Port [SOAP 1.1] http://nav.example.invalid/Customer: 1 operations');
    // The copy (renamed from the URL) and its model, stored as its cache.
    expect(readdirSync(staging).sort()).toEqual(['.soapbridge-cache', 'Customer_wsdl.wsdl']);
    rmSync(staging, { recursive: true, force: true });
  });

  test('handshake on one connection (2 round trips), then 1 round trip per request on it', async () => {
    server = await ntlmServer('svc', 'Pässword1', 'CORP');
    ep = leaf(server.url, { type: 'ntlm', username: 'svc', password: 'Pässword1', domain: 'CORP', workstation: 'BRIDGE' });
    const first = await ep.send(post('<a/>', { path: '/svc.asmx' }), ctx());
    expect(JSON.parse(await text(first))).toEqual({ user: 'svc', method: 'POST', path: '/svc.asmx', length: 4 });
    expect(total(first)).toBe(2);
    let last = first;
    for (let i = 0; i < 5; i++) {
      last = await ep.send(request({ path: `/r/${i}` }), ctx());
      expect(JSON.parse(await text(last))).toMatchObject({ user: 'svc', path: `/r/${i}` });
      expect(conn(last)).toBe(conn(first));
    }
    expect(total(last)).toBe(7);
    // a streamed body larger than maxReplayBytes on the authenticated connection: one request
    const big = Buffer.alloc(200_000, 'x');
    const res = await ep.send(streamed(big), ctx());
    expect(JSON.parse(await text(res))).toMatchObject({ length: 200_000 });
    expect(total(res)).toBe(8);
  });

  test('concurrent calls: each connection is authenticated once on its own socket', async () => {
    server = await ntlmServer('svc', 'pw', 'CORP');
    ep = leaf(server.url, { type: 'ntlm', username: 'svc', password: 'pw', domain: 'CORP' }, { depsOver: { connections: 3 } });
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => ep!.send(post(`<n>${i}</n>`), ctx()).then(async (r) => ({ conn: conn(r), body: JSON.parse(await text(r)) as { user: string } }))));
    expect(results.every((r) => r.body.user === 'svc')).toBe(true);
    const conns = new Set(results.map((r) => r.conn));
    expect(conns.size).toBeLessThanOrEqual(3);
    const after = await ep.send(request(), ctx());
    await text(after);
    // 12 requests + one negotiate per connection + this one
    expect(total(after)).toBe(12 + conns.size + 1);
  });

  test('wrong password: BACKEND_AUTH_FAILED 502 after negotiate + authenticate, no storm, no secret', async () => {
    server = await ntlmServer('svc', 'right', 'CORP');
    ep = leaf(server.url, { type: 'ntlm', username: 'svc', password: 'wrong-s3cret', domain: 'CORP' });
    for (let i = 0; i < 2; i++) {
      const err = (await ep.send(request(), ctx()).catch((e: unknown) => e)) as Error & { code: string; status: number };
      expect(err).toMatchObject({ code: 'BACKEND_AUTH_FAILED', status: 502 });
      expect(err.message).not.toContain('s3cret');
    }
    await ep.close();
    ep = leaf(server.url, { type: 'ntlm', username: 'svc', password: 'right', domain: 'CORP' });
    const ok = await ep.send(request(), ctx());
    await text(ok);
    expect(total(ok)).toBe(4 + 2); // 2 per failed call, 2 for this handshake
  });

  test('through a load-balance group: every member keeps its own authenticated connection', async () => {
    const servers = [await ntlmServer('svc', 'pw', 'CORP'), await ntlmServer('svc', 'pw', 'CORP')];
    const members = servers.map((s, i) => {
      const m = leaf(s.url, { type: 'ntlm', username: 'svc', password: 'pw', domain: 'CORP' }, { depsOver: { connections: 1, endpoint: `m${i}` } });
      return m;
    });
    const lb = new LoadBalanceEndpoint({ name: 'lb', members, maxReplayBytes: 64 * 1024 });
    try {
      const seen: BackendResponse[] = [];
      for (let i = 0; i < 8; i++) {
        const r = await lb.send(post(`<i>${i}</i>`), ctx());
        expect(JSON.parse(await text(r))).toMatchObject({ user: 'svc', length: `<i>${i}</i>`.length });
        seen.push(r);
      }
      // round robin: 4 calls each; per member 2 round trips for the first, 1 for the others
      expect(seen.map((r) => r.endpoint)).toEqual(['m0', 'm1', 'm0', 'm1', 'm0', 'm1', 'm0', 'm1']);
      expect(total(seen[6]!)).toBe(5);
      expect(total(seen[7]!)).toBe(5);
    } finally {
      await lb.close();
      servers.forEach((s) => s.stop());
    }
  });
});
