import express from 'express';
import type { AddressInfo } from 'node:net';
import { peerArgs, reportUrl } from './args';
import { undiciForwarder } from './proxy-common';

/**
 * Peer "express+undici": the same undici forwarding as node+undici, but mounted in an Express 5
 * app (router, req/res decoration) the way a bridge without a raw dispatcher would be. The
 * difference to node+undici is the cost of Express itself on the hot path.
 */
const { backend, prefix } = peerArgs();
const forward = undiciForwarder(backend);
const app = express();
app.disable('x-powered-by');
app.use(prefix, (req, res) => forward(req, res, req.url));
const server = app.listen(0, '127.0.0.1', () => reportUrl((server.address() as AddressInfo).port));
server.keepAliveTimeout = 65_000;
