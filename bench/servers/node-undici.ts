import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { peerArgs, reportUrl } from './args';
import { undiciForwarder } from './proxy-common';

/** Peer "node+undici": plain `http` server + undici, no framework: the floor for a Node proxy. */
const { backend, prefix } = peerArgs();
const forward = undiciForwarder(backend);
const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  if (!url.startsWith(prefix)) {
    res.statusCode = 404;
    res.end();
    return;
  }
  forward(req, res, url.slice(prefix.length) || '/');
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => reportUrl((server.address() as AddressInfo).port));
