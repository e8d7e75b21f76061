import type { Dispatcher } from 'undici';
import type { RelayControl, ResponseSink } from '../endpoint';
import { flatResponseHeaders } from '../../http/headers';
import type { HttpEndpoint } from './http';
import type { LeafCounters } from './leaf-counters';

/**
 * One relayed call: the undici dispatch handler and the caller's RelayControl in one object.
 * Aborts (client gone, short timeout) requested before undici starts the request are applied
 * when it does.
 */
export class RelayCall implements Dispatcher.DispatchHandler, RelayControl {
  private controller: Dispatcher.DispatchController | undefined;
  private headed = false;
  private over = false;
  private clientClosed = false;
  private timedOut = false;
  private timer: NodeJS.Timeout | undefined;
  /** A 401 head under backend auth: its headers, while its body is read and dropped. */
  private challenge: Record<string, string | string[] | undefined> | undefined;
  /** The challenge round trip that took over after a 401. */
  private next: RelayControl | undefined;

  constructor(
    private readonly leaf: HttpEndpoint,
    private readonly counters: LeafCounters,
    private readonly sink: ResponseSink,
    private readonly origin: string,
    timeoutMs: number,
    /** Backend auth: a 401 goes here (the whole challenge round trip) instead of to the sink. */
    private readonly onChallenge?: (headers: Record<string, string | string[] | undefined>) => RelayControl,
  ) {
    // undici checks headersTimeout on a coarse (~1 s) timer wheel; short timeouts get a timer of
    // their own so `timeout.ms: 200` means 200 ms.
    if (timeoutMs < 2000) this.timer = setTimeout(() => this.stop(true), timeoutMs);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.clientClosed || this.timedOut) controller.abort(new Error(this.timedOut ? 'response timeout' : 'client closed the connection'));
  }

  onResponseStart(_c: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[] | undefined>): void {
    if (this.timer) clearTimeout(this.timer);
    if (status === 401 && this.onChallenge) {
      this.challenge = headers;
      return;
    }
    this.headed = true;
    this.sink.head(status, flatResponseHeaders(headers), this.leaf.name);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.challenge) return;
    if (!this.sink.data(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    if (this.over) return;
    this.over = true;
    if (this.challenge) {
      // Still in flight on the counters: the challenge round trip ends the call.
      if (this.clientClosed) {
        const err = this.leaf.translate(new Error('client closed the connection'), this.origin, false, true);
        this.counters.fail(err);
        this.sink.fail(err, false);
      } else this.next = this.onChallenge!(this.challenge);
      return;
    }
    this.counters.done();
    this.sink.end();
  }

  onResponseError(_c: Dispatcher.DispatchController | undefined, e: Error): void {
    if (this.over) return;
    this.over = true;
    if (this.timer) clearTimeout(this.timer);
    const err = this.leaf.translate(e, this.origin, this.timedOut, this.clientClosed);
    if (this.headed) this.counters.done();
    else this.counters.fail(err);
    this.sink.fail(err, this.headed);
  }

  resume(): void {
    if (this.next) this.next.resume();
    else this.controller?.resume();
  }

  abort(): void {
    if (this.next) this.next.abort();
    else this.stop(false);
  }

  private stop(timeout: boolean): void {
    if (this.over || this.clientClosed || this.timedOut) return;
    if (timeout) this.timedOut = true;
    else this.clientClosed = true;
    this.controller?.abort(new Error(timeout ? 'response timeout' : 'client closed the connection'));
  }
}
