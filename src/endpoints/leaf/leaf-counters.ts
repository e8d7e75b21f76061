import type { Readable } from 'node:stream';
import type { BridgeError } from '../../errors/bridge-error';

/** Request/failure/in-flight counters a leaf shows in GET /endpoints. */
export class LeafCounters {
  private requests = 0;
  private failures = 0;
  private inFlight = 0;
  private lastError?: { code: string; message: string; at: string };

  start(): void {
    this.requests++;
    this.inFlight++;
  }

  fail(err: BridgeError): void {
    this.failures++;
    this.inFlight--;
    this.lastError = { code: err.code, message: err.message, at: new Date().toISOString() };
  }

  /** A relayed call ended (completely or not) after its response started. */
  done(): void {
    this.inFlight--;
  }

  /** In flight until the response body has been consumed or destroyed. */
  succeed(body: Readable): void {
    let done = false;
    const end = (): void => {
      if (!done) {
        done = true;
        this.inFlight--;
      }
    };
    body.once('end', end);
    body.once('close', end);
    body.once('error', end);
  }

  get current(): number {
    return this.inFlight;
  }

  snapshot(): { requests: number; failures: number; inFlight: number; lastError?: { code: string; message: string; at: string } } {
    return { requests: this.requests, failures: this.failures, inFlight: this.inFlight, ...(this.lastError ? { lastError: this.lastError } : {}) };
  }
}
