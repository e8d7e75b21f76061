import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { BridgeError } from '../errors/bridge-error';

/**
 * What every endpoint (leaf or group) is asked to deliver. The gateway builds it once per
 * request; leaves turn it into a backend URL with their own template.
 */
export interface BackendRequest {
  readonly method: string;
  /** Path below the API's `/{context}/{version}`, always starting with '/'. */
  readonly path: string;
  /** Raw query string without the '?', '' when absent (kept byte for byte). */
  readonly query: string;
  /** `{uri.var.x}` values from the matched resource template (decoded). */
  readonly uriVars: Readonly<Record<string, string>>;
  /** `{query.param.x}` values (first occurrence, decoded). */
  readonly queryParams: Readonly<Record<string, string>>;
  /** End-to-end request headers (hop-by-hop already removed), lower-case names. */
  readonly headers: Readonly<Record<string, string | string[]>>;
  /**
   * The body: null when there is none, a Buffer once buffered (replayable), or a stream that
   * can be read once. Groups buffer small bodies before the first attempt so they can re-send.
   */
  readonly body: Readable | Buffer | null;
  /** Declared length of the body when known (content-length). */
  readonly bodyLength?: number;
  /** The resource/operation is marked idempotent: re-sending after bytes left is allowed. */
  readonly idempotent: boolean;
  /** SOAP operation name when the API is SOAP (used by rules, metrics and fault mapping). */
  readonly operation?: string;
  /**
   * A call of a WSDL HTTP GET/POST binding operation: a SOAP address leaf, which otherwise uses
   * its URL as is, appends the request's path (the operation's location) and query to it.
   */
  readonly httpBinding?: true;
}

export interface CallContext {
  readonly requestId: string;
  readonly api: string;
  readonly log: Logger;
  /** Aborted when the client goes away: leaves must stop their backend call. */
  readonly signal: AbortSignal;
  /** For X-Forwarded-* */
  readonly clientIp: string;
  readonly proto: 'http' | 'https';
  readonly host: string;
}

export interface BackendResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Readable;
  /** Name of the leaf that answered (for logs, metrics, affinity). */
  readonly endpoint: string;
}

/**
 * Receives a relayed response. Order: `head` once, then `data`* and `end`; or `fail` at any
 * point: before `head` the call failed and nothing reached the client, after it the response
 * broke mid-body. No call follows `end` or `fail`.
 */
export interface ResponseSink {
  /** Status and end-to-end headers as a flat [name, value, ...] list (lower-case names). */
  head(status: number, headers: string[], endpoint: string): void;
  /** false: the client is not keeping up; the endpoint waits for `RelayControl.resume`. */
  data(chunk: Buffer): boolean;
  end(): void;
  fail(err: BridgeError, afterHead: boolean): void;
}

/** What the caller of `relay` can do to a call in progress. */
export interface RelayControl {
  resume(): void;
  /** The client went away: abort the backend call (the sink then gets `fail`). */
  abort(): void;
}

export type EndpointStateKind = 'ACTIVE' | 'TIMEOUT' | 'SUSPENDED';

export interface EndpointStatus {
  readonly name: string;
  readonly type: string;
  readonly state: EndpointStateKind;
  readonly suspendedUntil?: string;
  readonly requests: number;
  readonly failures: number;
  readonly inFlight: number;
  readonly lastError?: { readonly code: string; readonly message: string; readonly at: string };
  readonly members?: readonly EndpointStatus[];
}

/**
 * The composite: leaves and groups share this interface, so a failover of load-balancers of
 * SOAP addresses is just an Endpoint. Failures are thrown as BridgeError; groups catch the
 * ones marked `retryable`.
 */
export interface Endpoint {
  readonly name: string;
  readonly type: string;
  send(req: BackendRequest, ctx: CallContext): Promise<BackendResponse>;
  /**
   * Optional fast path, present only where it means exactly what `send` means (a leaf without
   * backend auth, not checked by a group's `failoverOn`): the response goes to `sink` as it
   * arrives, without a Readable or a promise per response. Failover and load-balance groups
   * offer it when all their members do (group/attempts.ts `relayMembers`: a member that fails
   * before its head is retried on the next exactly as `send` would); callers use `send` when it
   * is absent.
   */
  readonly relay?: (req: BackendRequest, ctx: CallContext, sink: ResponseSink) => RelayControl;
  /** A pure query: no side effects. */
  isAvailable(now: number): boolean;
  children(): readonly Endpoint[];
  status(): EndpointStatus;
  /** Releases pooled connections and timers (on reload or shutdown). */
  close(): Promise<void>;
}
