import type { BackendRequest, BackendResponse, CallContext } from '../endpoints/endpoint';

/** Sends one attempt of a request as given (headers and body included) to the leaf's backend. */
export type Dispatch = (req: BackendRequest) => Promise<BackendResponse>;

/** Where the leaf sends this request: digest needs the request-target, NTLM the origin. */
export interface AuthTarget {
  readonly origin: string;
  readonly path: string;
}

/**
 * Backend authentication wraps a leaf's sending. Most schemes add a header and dispatch once;
 * challenge-response schemes (Digest) may dispatch again after a 401, so they must make the body
 * replayable first; schemes that need their own connection handling (NTLM) may not use
 * `dispatch` at all. Credentials live only inside the implementation: never in logs, errors,
 * metrics or GET /endpoints.
 */
export interface BackendAuth {
  readonly type: string;
  execute(req: BackendRequest, target: AuthTarget, dispatch: Dispatch, ctx: CallContext): Promise<BackendResponse>;
  /**
   * Preemptive header only (the leaf's relay fast path): the Authorization value for this request
   * when it can be computed now without a round trip, else undefined (the leaf then uses
   * `execute`). Schemes offering it must offer `challenged` too. Only asked for requests whose
   * body is absent or a Buffer.
   */
  headerFor?(req: BackendRequest, target: AuthTarget): string | undefined;
  /**
   * The request sent with `headerFor`'s header was answered `res` (a 401, body already
   * discarded): finish the call as `execute` would after such an answer (at most one more
   * request). `req` is the request as the leaf got it (absent or Buffer body).
   */
  challenged?(res: BackendResponse, req: BackendRequest, target: AuthTarget, dispatch: Dispatch, ctx: CallContext): Promise<BackendResponse>;
  close?(): Promise<void>;
}
