import type { ResponseSink } from './endpoint';
import type { BridgeError } from '../errors/bridge-error';

/**
 * A ResponseSink that passes everything on to `next`; decorators that only watch the head or a
 * failure (suspension outcome, group counters) override just those.
 */
export class ForwardingSink implements ResponseSink {
  constructor(protected readonly next: ResponseSink) {}

  head(status: number, headers: string[], endpoint: string): void {
    this.next.head(status, headers, endpoint);
  }

  data(chunk: Buffer): boolean {
    return this.next.data(chunk);
  }

  end(): void {
    this.next.end();
  }

  fail(err: BridgeError, afterHead: boolean): void {
    this.next.fail(err, afterHead);
  }
}
