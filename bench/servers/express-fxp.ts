import express from 'express';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { Pool } from 'undici';
import { peerArgs, reportUrl } from './args';

/**
 * Peer "express+undici+fxp" (issue 4's hand-rolled handler): Express parses the JSON, the
 * envelope is a string template, undici POSTs it over a keep-alive pool, fast-xml-parser reads
 * the answer, `{ AddResult }` goes back as JSON. No schema, no validation: the floor of a
 * purpose-written facade for one operation.
 */
const { backend, prefix } = peerArgs();
const pool = new Pool(new URL(backend).origin, { connections: 128, keepAliveTimeout: 30_000 });
const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: true });

const xmlEscape = (v: unknown): string => String(v).replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'));
const envelope = (a: unknown, b: unknown): string =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Add xmlns="http://tempuri.org/"><intA>${xmlEscape(a)}</intA><intB>${xmlEscape(b)}</intB></Add></soap:Body></soap:Envelope>`;

interface AddEnvelope {
  Envelope?: { Body?: { AddResponse?: { AddResult?: unknown }; Fault?: unknown } };
}

const app = express();
app.disable('x-powered-by');
app.use(express.json());
app.post(`${prefix}/calculator/add`, (req, res) => {
  const input = (req.body ?? {}) as { intA?: unknown; intB?: unknown };
  const xml = envelope(input.intA, input.intB);
  pool
    .request({
      path: '/calculator',
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://tempuri.org/Add"' },
      body: xml,
    })
    .then(async (up) => {
      const doc = parser.parse(await up.body.text()) as AddEnvelope;
      const body = doc.Envelope?.Body;
      if (up.statusCode !== 200 || !body?.AddResponse) {
        res.status(502).json({ error: 'backend fault', fault: body?.Fault ?? null });
        return;
      }
      res.json({ AddResult: body.AddResponse.AddResult });
    })
    .catch((e: unknown) => res.status(502).json({ error: e instanceof Error ? e.message : String(e) }));
});
const server = app.listen(0, '127.0.0.1', () => reportUrl((server.address() as AddressInfo).port));
server.keepAliveTimeout = 65_000;
