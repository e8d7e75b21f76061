import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { HttpEndpoint } from '../../../src/endpoints/leaf/http';
import { isBridgeError } from '../../../src/errors/bridge-error';
import { ctx, leaf, post, readBody, serve, streamed, text, type Server } from './helpers';

const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const S12 = 'http://www.w3.org/2003/05/soap-envelope';
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const DIGEST = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';
const TEXT = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';

type Node = Record<string, unknown>;

/**
 * A backend that checks the UsernameToken the way a WSS server does: the Security block by
 * namespace inside the envelope's Header, and the PasswordDigest recomputed from the token's
 * own Nonce and Created. Nonces seen once are refused (replay).
 */
function verifier(users: Record<string, string>): { handler: Parameters<typeof serve>[0]; seenNonces: Set<string> } {
  const seenNonces = new Set<string>();
  const handler: Parameters<typeof serve>[0] = (req, res) => {
    void readBody(req).then((body) => {
      const fail = (why: string): void => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(why);
      };
      if (req.headers['content-length'] !== String(body.length)) return fail('bad content-length');
      const doc = new XMLParser({ ignoreAttributes: false, removeNSPrefix: false }).parse(body.toString('utf8')) as Node;
      const envKey = Object.keys(doc).find((k) => k.endsWith('Envelope'))!;
      const env = doc[envKey] as Node;
      const p = envKey.includes(':') ? envKey.split(':')[0]! : '';
      const ns = env[p ? `@_xmlns:${p}` : '@_xmlns'];
      if (ns !== S11 && ns !== S12) return fail('not an envelope');
      const header = env[p ? `${p}:Header` : 'Header'] as Node | undefined;
      if (!header) return fail('no header');
      const sec = header['wsse:Security'] as Node | undefined;
      if (!sec || sec['@_xmlns:wsse'] !== WSSE || sec['@_xmlns:wsu'] !== WSU) return fail('no security');
      const mu = Object.entries(sec).find(([k]) => k.endsWith(':mustUnderstand'))?.[1];
      if (mu !== (ns === S11 ? '1' : 'true')) return fail('mustUnderstand');
      const tok = sec['wsse:UsernameToken'] as Node;
      const user = String(tok['wsse:Username']);
      const pw = tok['wsse:Password'] as Node;
      const nonceB64 = String((tok['wsse:Nonce'] as Node)['#text']);
      const created = String(tok['wsu:Created']);
      if (seenNonces.has(nonceB64)) return fail('replayed nonce');
      seenNonces.add(nonceB64);
      if (Math.abs(Date.parse(created) - Date.now()) > 300_000) return fail('stale created');
      const expected =
        pw['@_Type'] === DIGEST
          ? createHash('sha1').update(Buffer.concat([Buffer.from(nonceB64, 'base64'), Buffer.from(created), Buffer.from(users[user] ?? '\0')])).digest('base64')
          : pw['@_Type'] === TEXT
            ? users[user]
            : undefined;
      if (expected === undefined || String(pw['#text']) !== expected) return fail('bad password');
      const bodyEl = env[p ? `${p}:Body` : 'Body'];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ user, type: pw['@_Type'], body: bodyEl }));
    });
  };
  return { handler, seenNonces };
}

describe('WS-Security UsernameToken checked by a verifying backend', () => {
  let server: Server;
  let ep: HttpEndpoint;
  afterEach(async () => {
    await ep?.close();
    await server?.close();
  });

  test.each([
    ['PasswordDigest', '1.1', `<soap:Envelope xmlns:soap="${S11}"><soap:Body><add><a>1</a></add></soap:Body></soap:Envelope>`],
    ['PasswordDigest', '1.2', `<?xml version="1.0" encoding="utf-8"?><env:Envelope xmlns:env="${S12}"><env:Header><x xmlns="urn:x">1</x></env:Header><env:Body><add><a>1</a></add></env:Body></env:Envelope>`],
    ['PasswordText', '1.1', `<Envelope xmlns="${S11}"><Header/><Body><add><a>1</a></add></Body></Envelope>`],
  ] as const)('%s, SOAP %s', async (passwordType, _v, envelope) => {
    const v = verifier({ svc: 'pä$$word' });
    server = await serve(v.handler);
    ep = leaf(server.url, { type: 'wsSecurity', username: 'svc', password: 'pä$$word', passwordType });
    for (let i = 0; i < 3; i++) {
      const res = await ep.send(i === 1 ? streamed(Buffer.from(envelope)) : post(envelope), ctx());
      const got = await text(res);
      expect(res.status).toBe(200);
      expect(JSON.parse(got)).toMatchObject({ user: 'svc', body: { add: { a: 1 } } });
    }
    expect(v.seenNonces.size).toBe(3); // a fresh nonce every request
    expect(server.hits).toHaveLength(3);
  });

  test('a wrong password is refused by the backend and its answer passes through', async () => {
    server = await serve(verifier({ svc: 'right' }).handler);
    ep = leaf(server.url, { type: 'wsSecurity', username: 'svc', password: 'wrong', passwordType: 'PasswordDigest' });
    const res = await ep.send(post(`<s:Envelope xmlns:s="${S11}"><s:Body/></s:Envelope>`), ctx());
    expect(res.status).toBe(500);
    expect(await text(res)).toBe('bad password');
  });

  test('not an envelope: SOAP_MALFORMED_ENVELOPE before anything is sent', async () => {
    server = await serve(verifier({}).handler);
    ep = leaf(server.url, { type: 'wsSecurity', username: 'svc', password: 'pw' });
    await expect(ep.send(post('{"json":true}'), ctx())).rejects.toMatchObject({ code: 'SOAP_MALFORMED_ENVELOPE' });
    expect(server.hits).toHaveLength(0);
  });

  test('an envelope over the buffer limit: BODY_TOO_LARGE', async () => {
    server = await serve(verifier({}).handler);
    ep = leaf(server.url, { type: 'wsSecurity', username: 'svc', password: 'pw' }, { depsOver: { maxBodyBytes: 1000 } });
    const big = Buffer.from(`<s:Envelope xmlns:s="${S11}"><s:Body>${'x'.repeat(5000)}</s:Body></s:Envelope>`);
    const err: unknown = await ep.send(streamed(big, { bodyLength: undefined }), ctx()).catch((e: unknown) => e);
    expect(isBridgeError(err) && err.code).toBe('BODY_TOO_LARGE');
  });
});

describe('WS-Security on an MTOM message', () => {
  let server: Server;
  let ep: HttpEndpoint;
  afterEach(async () => {
    await ep?.close();
    await server?.close();
  });

  test('the Security block goes into the root part (named by start); the attachment before it stays byte for byte', async () => {
    const boundary = 'MIMEBoundary_77';
    const attachment = Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a, 0x2d, 0x2d, 0x41, 0xfe]);
    const envelope = `<soap:Envelope xmlns:soap="${S11}"><soap:Body><upload><file><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:att@x"/></file></upload></soap:Body></soap:Envelope>`;
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <att@x>\r\n\r\n`),
      attachment,
      Buffer.from(`\r\n--${boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; type="text/xml"\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <root@x>\r\n\r\n${envelope}\r\n--${boundary}--\r\n`),
    ]);
    const contentType = `multipart/related; type="application/xop+xml"; start="<root@x>"; start-info="text/xml"; boundary="${boundary}"`;
    server = await serve((req, res) => {
      void readBody(req).then((got) => {
        const text = got.toString('latin1');
        const parts = text.split(`--${boundary}`);
        const rootPart = parts.find((p) => p.includes('Content-ID: <root@x>')) ?? '';
        const root = rootPart.slice(rootPart.indexOf('\r\n\r\n') + 4, rootPart.lastIndexOf('\r\n'));
        const doc = new XMLParser({ ignoreAttributes: false }).parse(Buffer.from(root, 'latin1').toString('utf8')) as Node;
        const env = doc['soap:Envelope'] as Node;
        const token = ((env['soap:Header'] as Node)['wsse:Security'] as Node)['wsse:UsernameToken'] as Node;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            length: req.headers['content-length'] === String(got.length),
            contentType: req.headers['content-type'],
            user: token['wsse:Username'],
            attachmentIntact: got.subarray(0, body.indexOf(attachment) + attachment.length).equals(body.subarray(0, body.indexOf(attachment) + attachment.length)),
            tail: text.endsWith(`\r\n--${boundary}--\r\n`),
            hasBody: (env['soap:Body'] as Node)['upload'] !== undefined,
          }),
        );
      });
    });
    ep = leaf(server.url, { type: 'wsSecurity', username: 'svc', password: 'pw', passwordType: 'PasswordText' });
    const headers = { 'content-type': contentType, 'content-length': String(body.length) };
    for (const req of [post(body, { headers }), streamed(body, { headers })]) {
      const res = await ep.send(req, ctx());
      expect(res.status).toBe(200);
      expect(JSON.parse(await text(res))).toEqual({ length: true, contentType, user: 'svc', attachmentIntact: true, tail: true, hasBody: true });
    }
  });

  test('a multipart body whose root part is missing: SOAP_MALFORMED_ENVELOPE, nothing sent', async () => {
    server = await serve((_req, res) => res.end());
    ep = leaf(server.url, { type: 'wsSecurity', username: 'svc', password: 'pw' });
    const body = Buffer.from('--b1\r\nContent-ID: <other>\r\nContent-Type: text/xml\r\n\r\n<a/>\r\n--b1--\r\n');
    const headers = { 'content-type': 'multipart/related; type="text/xml"; start="<root>"; boundary=b1', 'content-length': String(body.length) };
    const err = await ep.send(post(body, { headers }), ctx()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isBridgeError(err) && err.code).toBe('SOAP_MALFORMED_ENVELOPE');
    expect(server.hits).toHaveLength(0);
  });
});
