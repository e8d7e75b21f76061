import { Readable } from 'node:stream';
import type { BackendRequest, BackendResponse, CallContext, Endpoint, EndpointStatus } from '../../../src/endpoints/endpoint';
import { BridgeError } from '../../../src/errors/bridge-error';

/** What a fake leaf does with one request: answer, or throw. */
export type Behaviour = { status: number; body?: string; headers?: Record<string, string | string[]> } | BridgeError;

/** An in-memory leaf for unit tests: scripted answers, a log of what it received. */
export class FakeLeaf implements Endpoint {
  readonly type = 'fake';
  readonly received: { req: BackendRequest; body: string | null }[] = [];
  inFlight = 0;
  available = true;
  closed = false;

  constructor(
    readonly name: string,
    public behave: (req: BackendRequest) => Behaviour = () => ({ status: 200, body: name }),
  ) {}

  async send(req: BackendRequest, _ctx: CallContext): Promise<BackendResponse> {
    // Like a real leaf, consume a streamed body (so a second send of the same stream is visible).
    let body: string | null = null;
    if (Buffer.isBuffer(req.body)) body = req.body.toString();
    else if (req.body) {
      const chunks: Buffer[] = [];
      for await (const c of req.body) chunks.push(c as Buffer);
      body = Buffer.concat(chunks).toString();
    }
    this.received.push({ req, body });
    const b = this.behave(req);
    if (b instanceof BridgeError) throw b;
    return { status: b.status, headers: b.headers ?? { 'content-type': 'text/plain' }, body: Readable.from([Buffer.from(b.body ?? '')]), endpoint: this.name };
  }

  isAvailable(): boolean {
    return this.available;
  }

  children(): readonly Endpoint[] {
    return [];
  }

  status(): EndpointStatus {
    return { name: this.name, type: this.type, state: 'ACTIVE', requests: this.received.length, failures: 0, inFlight: this.inFlight };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export const refused = (name = 'x'): BridgeError => new BridgeError('ENDPOINT_UNREACHABLE', `${name}: ECONNREFUSED`, { requestSent: false });
export const reset = (name = 'x'): BridgeError => new BridgeError('ENDPOINT_UNREACHABLE', `${name}: reset`, { requestSent: true });
export const timedOut = (name = 'x'): BridgeError => new BridgeError('ENDPOINT_TIMEOUT', `${name}: timeout`, { requestSent: true });
