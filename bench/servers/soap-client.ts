import express from 'express';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createClientAsync } from 'soap';
import { peerArgs, reportUrl } from './args';

/**
 * Peer "soap client" (issue 4's naive bridge): an Express app that answers
 * `POST {prefix}/calculator/add` (JSON) with the `soap` package's client: `createClientAsync` once
 * (the Calculator WSDL, endpoint set to the bench backend), `client.AddAsync(body)` per request,
 * the result back as JSON. What someone writes in an afternoon without a bridge.
 */
const { backend, prefix } = peerArgs();
const WSDL = path.resolve(__dirname, '..', '..', '..', 'wsdl', 'Calculator.wsdl');

type AddAsync = (args: unknown) => Promise<[unknown, ...unknown[]]>;

async function main(): Promise<void> {
  const client = await createClientAsync(WSDL, {}, `${backend}/calculator`);
  const add = (client as unknown as { AddAsync: AddAsync }).AddAsync.bind(client);
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json());
  app.post(`${prefix}/calculator/add`, (req, res) => {
    add(req.body).then(
      ([result]) => res.json(result),
      (e: unknown) => res.status(502).json({ error: e instanceof Error ? e.message : String(e) }),
    );
  });
  const server = app.listen(0, '127.0.0.1', () => reportUrl((server.address() as AddressInfo).port));
  server.keepAliveTimeout = 65_000;
}

main().catch((e: unknown) => {
  process.stderr.write(`soap-client peer: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
