import type { BridgeError } from './bridge-error';
import { specOf } from './codes';

/** RFC 9457 problem details as soapbridge renders them for REST callers. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  requestId?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function toProblem(err: BridgeError, ctx: { instance?: string; requestId?: string } = {}): Problem {
  // Internal errors never leak their message: it may hold paths or secrets.
  const detail = err.code === 'INTERNAL_ERROR' ? 'see the bridge log for this request id' : err.message;
  return {
    ...err.extensions,
    type: `https://soapbridge.dev/errors/${err.code.toLowerCase().replace(/_/g, '-')}`,
    title: specOf(err.code).title,
    status: err.status,
    code: err.code,
    detail,
    ...(ctx.instance ? { instance: ctx.instance } : {}),
    ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
  };
}
