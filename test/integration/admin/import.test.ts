import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import http from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import { adminCall, send, startAdminBridge, type AdminBridge } from '../../utils/admin';
import { CALCULATOR_WSDL } from '../../../src/demo/demo-calculator';
import { restApi } from '../../utils/bridge';
import { makePki } from '../../utils/tls';
import { wsdl } from '../../fixtures/import/wsdl-gen';

/** POST /import: a WSDL (text or URL) becomes a SOAP API served at once. */
const WSDL_TEXT = readFileSync(CALCULATOR_WSDL, 'utf8');
let b: AdminBridge;

beforeEach(async () => {
  b = await startAdminBridge({});
});

afterEach(async () => {
  await b.close();
});

test('WSDL text with ?name= becomes an API whose ?wsdl is served with the bridge address', async () => {
  const res = await adminCall(b.adminUrl, 'POST', '/import?name=calc', WSDL_TEXT, { contentType: 'text/xml' });
  expect(res.status).toBe(201);
  expect(res.json()).toMatchObject({ name: 'calc', documents: 1 });
  // 1. The bundle is stored under wsdl/calc beside the config folder, the API file under apis/.
  expect(existsSync(path.join(b.tree.root, 'wsdl', 'calc'))).toBe(true);
  expect(parse(readFileSync(b.tree.apiFile('calc'), 'utf8'))).toMatchObject({ name: 'calc', context: '/calc', version: 'v1', state: 'PUBLISHED', expose: { soap: true } });
  // 2. It is served without a restart.
  const wsdl = await send(`${b.url}/calc/v1?wsdl`);
  expect(wsdl.status).toBe(200);
  expect(wsdl.headers['content-type']).toMatch(/^text\/xml/);
  expect(wsdl.text).toContain('wsdl:definitions');
  expect(wsdl.text).toContain(`location="${b.url}/calc/v1"`);
  expect((await adminCall(b.adminUrl, 'GET', '/apis')).json()).toEqual([{ name: 'calc', context: '/calc', version: 'v1', state: 'PUBLISHED', loaded: true }]);
});

test('{ url, name, context } imports from a URL', async () => {
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/xml' }).end(WSDL_TEXT));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/Calculator.wsdl`;
    const res = await adminCall(b.adminUrl, 'POST', '/import', { url, name: 'remote', context: '/maths' });
    expect(res.status).toBe(201);
    expect((await send(`${b.url}/maths/v1?wsdl`)).status).toBe(200);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('a JSON source that is not an http(s) URL is refused (no server-side file reads)', async () => {
  for (const url of ['/etc/passwd', 'file:///etc/passwd', '../config/soapbridge.yaml']) {
    const res = await adminCall(b.adminUrl, 'POST', '/import', { url, name: 'sneaky' });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BAD_REQUEST' });
  }
  expect((await send(`${b.url}/sneaky/v1?wsdl`)).status).toBe(404);
});

function hasZipCli(): boolean {
  try {
    execFileSync('zip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

(hasZipCli() ? test : test.skip)('a .zip upload (application/zip) with imports and schemas', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'soapbridge-zip-'));
  try {
    const zip = path.join(dir, 'orders.zip');
    execFileSync('zip', ['-qr', zip, 'main.wsdl', 'abstract.wsdl', 'schemas'], { cwd: path.join(__dirname, '../../fixtures/wsdl/multi') });
    const res = await adminCall(b.adminUrl, 'POST', '/import?name=orders', readFileSync(zip), { contentType: 'application/zip' });
    expect(res.status).toBe(201);
    expect(res.json<{ documents: number }>().documents).toBeGreaterThan(1);
    expect((await send(`${b.url}/orders/v1?wsdl`)).status).toBe(200);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an existing name is refused unless ?force=true', async () => {
  expect((await adminCall(b.adminUrl, 'POST', '/import?name=calc', WSDL_TEXT, { contentType: 'text/xml' })).status).toBe(201);
  expect((await adminCall(b.adminUrl, 'POST', '/import?name=calc', WSDL_TEXT, { contentType: 'text/xml' })).status).toBe(409);
  expect((await adminCall(b.adminUrl, 'POST', '/import?name=calc&force=true&version=v2', WSDL_TEXT, { contentType: 'text/xml' })).status).toBe(201);
  expect((await send(`${b.url}/calc/v2?wsdl`)).status).toBe(200);
  expect((await send(`${b.url}/calc/v1?wsdl`)).status).toBe(404);
});

test('a broken WSDL is refused (422) and writes no API file', async () => {
  const res = await adminCall(b.adminUrl, 'POST', '/import?name=bad', '<definitions><oops', { contentType: 'text/xml' });
  expect(res.status).toBe(422);
  // The compile ran on a worker thread; its error comes back whole (file and reason).
  expect(res.json()).toMatchObject({ code: 'WSDL_INVALID', detail: expect.stringMatching(/^upload\.wsdl: not well-formed XML: line 1:/) });
  expect(readdirSync(b.tree.apisDir)).toEqual([]);
  // …and the staging folder it would have been copied to is gone.
  const wsdlRoot = path.join(b.tree.root, 'wsdl');
  expect(existsSync(wsdlRoot) ? readdirSync(wsdlRoot) : []).toEqual([]);
});

test('a WSDL sent alone whose imports are missing is refused with what to send instead', async () => {
  const text = wsdl({ imports: '<wsdl:import namespace="urn:abstract" location="Abstract.wsdl"/>', element: 'a:Ping', xmlns: 'xmlns:a="urn:abstract"', types: '' });
  const res = await adminCall(b.adminUrl, 'POST', '/import?name=alone', text, { contentType: 'text/xml' });
  expect(res.status).toBe(422);
  expect(res.json()).toMatchObject({ code: 'WSDL_INVALID', detail: expect.stringContaining('these imports were not found: "Abstract.wsdl" (from upload.wsdl) (a WSDL sent as text/xml comes alone: send a .zip holding it and the files it imports, or {"url": ...}') });
  expect(readdirSync(b.tree.apisDir)).toEqual([]);
});

test('a missing name or source answers 400', async () => {
  expect((await adminCall(b.adminUrl, 'POST', '/import', WSDL_TEXT, { contentType: 'text/xml' })).status).toBe(400);
  expect((await adminCall(b.adminUrl, 'POST', '/import', { name: 'x' })).status).toBe(400);
});

test('a reload after the imported WSDL changed serves the new description (compiled off the event loop)', async () => {
  expect((await adminCall(b.adminUrl, 'POST', '/import?name=calc', WSDL_TEXT, { contentType: 'text/xml' })).status).toBe(201);
  const before = (await send(`${b.url}/calc/v1?wsdl`)).text;
  const api = parse(readFileSync(b.tree.apiFile('calc'), 'utf8')) as { wsdl: string };
  const wsdlFile = path.resolve(b.tree.apisDir, api.wsdl);
  // An edit a reload must pick up: documentation on the portType.
  const edited = readFileSync(wsdlFile, 'utf8').replace(/(<(\w+:)?portType\b[^>]*>)/, '$1<$2documentation>edited for the reload test</$2documentation>');
  expect(edited).toContain('edited for the reload test');
  writeFileSync(wsdlFile, edited);
  // Any admin change reloads every API; this one does not touch calc's file.
  const other = await adminCall(b.adminUrl, 'POST', '/apis', restApi('other', 'http://127.0.0.1:9/x'));
  expect(other.status).toBe(201);
  const after = (await send(`${b.url}/calc/v1?wsdl`)).text;
  expect(before).not.toContain('edited for the reload test');
  expect(after).toContain('edited for the reload test');
  // The SOAP side still works on the new model.
  expect((await adminCall(b.adminUrl, 'GET', '/apis')).json()).toContainEqual({ name: 'calc', context: '/calc', version: 'v1', state: 'PUBLISHED', loaded: true });
});

test('{ url, name, auth } imports from a protected URL; a bad "auth" is a 400 that echoes no secret', async () => {
  const expected = `Basic ${Buffer.from('svc:s3cret-Pw').toString('base64')}`;
  const server = http.createServer((req, res) => {
    if (req.headers.authorization === expected) res.writeHead(200, { 'content-type': 'text/xml' }).end(WSDL_TEXT);
    else res.writeHead(401, { 'www-authenticate': 'Basic realm="wsdl"' }).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/Calculator.asmx?wsdl`;
    const anonymous = await adminCall(b.adminUrl, 'POST', '/import', { url, name: 'calc' });
    expect(anonymous.status).toBe(422);
    expect(anonymous.json<{ detail: string }>().detail).toContain('HTTP 401');
    const bad = await adminCall(b.adminUrl, 'POST', '/import', { url, name: 'calc', auth: { type: 'wsSecurity', username: 'svc', password: 's3cret-Pw' } });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('wsSecurity authenticates SOAP envelopes');
    expect(bad.text).not.toContain('s3cret-Pw');
    const res = await adminCall(b.adminUrl, 'POST', '/import', { url, name: 'calc', auth: { type: 'basic', username: 'svc', password: 's3cret-Pw' } });
    expect(res.status).toBe(201);
    expect(res.text).not.toContain('s3cret-Pw');
    expect((await send(`${b.url}/calc/v1?wsdl`)).status).toBe(200);
    expect(readFileSync(b.tree.apiFile('calc'), 'utf8')).not.toContain('s3cret-Pw');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('{ url, name, tls } trusts a private CA and presents a client certificate given as PEM; file paths are refused', async () => {
  const pki = makePki();
  const caFile = pki.ca('corp-ca');
  const client = pki.leaf('importer', 'corp-ca', 'DNS:importer', 'clientAuth');
  const leaf = pki.leaf('wsdl-host', 'corp-ca', 'IP:127.0.0.1', 'serverAuth');
  // mTLS: the handshake fails without a certificate from the corporate CA.
  const server = createHttpsServer({ cert: pki.read(leaf.cert), key: pki.read(leaf.key), ca: pki.read(caFile), requestCert: true, rejectUnauthorized: true }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/xml' }).end(WSDL_TEXT);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/Calculator.asmx?wsdl`;
    const pem = (f: string): string => pki.read(f).toString('utf8');
    const untrusted = await adminCall(b.adminUrl, 'POST', '/import', { url, name: 'calc' });
    expect(untrusted.status).toBe(422);
    expect(untrusted.json<{ detail: string }>().detail).toMatch(/certificate/i);
    // A path would make the bridge read its own disk for a remote caller.
    const paths = await adminCall(b.adminUrl, 'POST', '/import', { url, name: 'calc', tls: { ca: caFile, cert: pem(client.cert) } });
    expect(paths.status).toBe(400);
    expect(paths.json<{ detail: string }>().detail).toBe('"tls": ca: PEM text ("-----BEGIN ..."), not a file path; key: a client certificate needs both cert and key');
    expect(paths.text).not.toContain('BEGIN CERTIFICATE');

    const res = await adminCall(b.adminUrl, 'POST', '/import', { url, name: 'calc', tls: { ca: pem(caFile), cert: pem(client.cert), key: pem(client.key) } });
    expect(res.status).toBe(201);
    expect((await send(`${b.url}/calc/v1?wsdl`)).text).toContain(`location="${b.url}/calc/v1"`);
    expect(readFileSync(b.tree.apiFile('calc'), 'utf8')).not.toContain('BEGIN');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    pki.remove();
  }
});
