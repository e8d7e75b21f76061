import { type ErrorCode, specOf } from './codes';

/**
 * The only error type that crosses module boundaries. Foreign errors (undici, parsers) are
 * translated into a BridgeError where they are caught, so renderers never guess.
 *
 * @example throw new BridgeError('ENDPOINT_TIMEOUT', 'no response within 5000 ms', { cause: err })
 */
export class BridgeError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  /** True once any byte of the request may have reached the backend (governs re-sending). */
  readonly requestSent: boolean;
  /** Extra members for problem+json (e.g. faultcode/detail of a backend fault). */
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    detail: string,
    opts: { cause?: unknown; status?: number; requestSent?: boolean; retryable?: boolean; extensions?: Record<string, unknown> } = {},
  ) {
    super(detail, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'BridgeError';
    this.code = code;
    const spec = specOf(code);
    this.status = opts.status ?? spec.status;
    this.retryable = opts.retryable ?? spec.retryable;
    this.requestSent = opts.requestSent ?? false;
    this.extensions = opts.extensions ?? {};
  }
}

export function isBridgeError(e: unknown): e is BridgeError {
  return e instanceof BridgeError;
}

/** Wraps anything thrown into a BridgeError, keeping the original as `cause`. */
export function toBridgeError(e: unknown): BridgeError {
  if (e instanceof BridgeError) return e;
  return new BridgeError('INTERNAL_ERROR', 'unexpected error', { cause: e });
}
