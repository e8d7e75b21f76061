import gateway from 'fast-gateway';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { peerArgs, reportUrl } from './args';

/** Peer: fast-gateway (restana + fast-proxy-lite) with one route, default options. */
const { backend, prefix } = peerArgs();
const service = gateway({ routes: [{ prefix, target: backend }] });
service.start(0, '127.0.0.1').then((server: Server) => reportUrl((server.address() as AddressInfo).port), (e: unknown) => {
  process.stderr.write(`fast-gateway peer: ${String(e)}\n`);
  process.exit(1);
});
