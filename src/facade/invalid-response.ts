import { BridgeError } from '../errors/bridge-error';

export function invalidResponse(detail: string, cause?: unknown): BridgeError {
  return new BridgeError('BACKEND_RESPONSE_INVALID', detail, cause === undefined ? {} : { cause });
}
