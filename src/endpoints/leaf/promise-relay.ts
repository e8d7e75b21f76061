import type { Readable } from 'node:stream';
import type { BackendResponse, RelayControl, ResponseSink } from '../endpoint';
import { BridgeError, toBridgeError } from '../../errors/bridge-error';
import { flatResponseHeaders } from '../../http/headers';

/**
 * A `send`-style call delivered to a relay sink: the leaf's relay uses it where the call goes
 * the long way (backend auth without a preemptive header yet, a challenge round trip). The head
 * when the promise resolves, the body with backpressure (`resume`), a rejection as a failure
 * before the head, a body that breaks as one after it.
 */
export function relayPromise(p: Promise<BackendResponse>, sink: ResponseSink, broken: (e: unknown) => BridgeError): RelayControl {
  return new PromiseRelay(p, sink, broken);
}

class PromiseRelay implements RelayControl {
  private body: Readable | undefined;
  private aborted = false;
  private over = false;

  constructor(
    p: Promise<BackendResponse>,
    private readonly sink: ResponseSink,
    private readonly broken: (e: unknown) => BridgeError,
  ) {
    p.then(
      (res) => this.deliver(res),
      (e: unknown) => this.failBefore(toBridgeError(e)),
    );
  }

  private failBefore(err: BridgeError): void {
    if (this.over) return;
    this.over = true;
    this.sink.fail(err, false);
  }

  private deliver(res: BackendResponse): void {
    const body = res.body;
    if (this.aborted) {
      body.destroy();
      this.failBefore(new BridgeError('BAD_REQUEST', 'client closed the connection', { requestSent: true, retryable: false }));
      return;
    }
    this.body = body;
    const sink = this.sink;
    sink.head(res.status, flatResponseHeaders(res.headers), res.endpoint);
    body.on('data', (chunk: Buffer) => {
      if (!sink.data(chunk)) body.pause();
    });
    body.once('end', () => {
      if (this.over) return;
      this.over = true;
      sink.end();
    });
    const fail = (e: unknown): void => {
      if (this.over) return;
      this.over = true;
      sink.fail(this.broken(e), true);
    };
    body.once('error', fail);
    body.once('close', () => fail(new Error('the response body ended early')));
  }

  resume(): void {
    this.body?.resume();
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.body?.destroy();
  }
}
