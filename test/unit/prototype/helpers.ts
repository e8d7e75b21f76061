import { Readable } from 'node:stream';
import pino from 'pino';
import { firstQueryValues } from '../../../src/http/query';
import type { BackendRequest, BackendResponse, CallContext } from '../../../src/endpoints/endpoint';

export const silentLog = pino({ level: 'silent' });

export function request(over: Partial<BackendRequest> & { text?: string } = {}): BackendRequest {
  const { text, ...rest } = over;
  return {
    method: 'GET',
    path: '/',
    query: '',
    uriVars: {},
    // As the gateway fills them: first values of the query, unless the test sets them.
    queryParams: firstQueryValues(rest.query ?? ''),
    headers: {},
    body: text === undefined ? null : Readable.from([Buffer.from(text)]),
    idempotent: false,
    ...rest,
  };
}

export function callContext(): CallContext {
  return { requestId: 'r1', api: 'test', log: silentLog, signal: new AbortController().signal, clientIp: '127.0.0.1', proto: 'http', host: 'localhost' };
}

export async function readBody(res: BackendResponse): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res.body) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}
