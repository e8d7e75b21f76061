import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { JSON_1K, SOAP_RESPONSE_1K } from './payloads';

/**
 * The bench backend, run in its own process: GET answers 1 KiB of JSON; POST/PUT read the whole
 * request body and answer a 1 KiB SOAP envelope. Keep-alive, content-length, no logging.
 * Reports `{ url }` over IPC once listening.
 */
const json = Buffer.from(JSON_1K);
const xml = Buffer.from(SOAP_RESPONSE_1K);
const jsonHeaders = { 'content-type': 'application/json', 'content-length': String(json.length) };
const xmlHeaders = { 'content-type': 'text/xml; charset=utf-8', 'content-length': String(xml.length) };

const server = http.createServer((req, res) => {
  if (req.method === 'GET' || req.method === 'HEAD') {
    res.writeHead(200, jsonHeaders);
    res.end(req.method === 'GET' ? json : undefined);
    return;
  }
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, xmlHeaders);
    res.end(xml);
  });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ url: `http://127.0.0.1:${port}` });
});
process.on('SIGTERM', () => process.exit(0));
