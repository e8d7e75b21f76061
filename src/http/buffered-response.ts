import { Readable } from 'node:stream';
import type { BackendResponse } from '../endpoints/endpoint';

/**
 * A Readable over one Buffer (or nothing). Read normally it yields the buffer and ends; piped (as
 * the gateway relays every BackendResponse), it hands the buffer straight to the destination's
 * `end`, without the flowing-mode listeners and ticks a pipe sets up for a stream.
 */
class BufferBody extends Readable {
  private pending: Buffer | null;

  constructor(buf: Buffer | null) {
    super();
    this.pending = buf;
  }

  override _read(): void {
    const buf = this.pending;
    this.pending = null;
    if (buf !== null) this.push(buf);
    this.push(null);
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    if (this.readableDidRead || this.destroyed) return super.pipe(destination, options);
    // Handed over whole: a later read finds nothing and ends.
    const buf = this.pending;
    this.pending = null;
    if (options?.end === false) {
      if (buf !== null) destination.write(buf);
    } else if (buf !== null) destination.end(buf);
    else destination.end();
    return destination;
  }
}

/**
 * A response the bridge makes itself (?wsdl, OpenAPI, facade JSON, prototypes): one Buffer, or
 * none (`null`: no body, no content-length), with content-length set from it.
 */
export function bufferedResponse(status: number, headers: Record<string, string>, buf: Buffer | null, endpoint: string): BackendResponse {
  const h = buf === null ? headers : { ...headers, 'content-length': String(buf.length) };
  return { status, headers: h, body: new BufferBody(buf), endpoint };
}
