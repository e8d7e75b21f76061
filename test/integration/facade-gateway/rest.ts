import { request } from 'undici';

/** A REST answer of the facade: status, content type and the parsed JSON body (text when it is not JSON). */
export interface RestReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

async function reply(res: Awaited<ReturnType<typeof request>>): Promise<RestReply> {
  const text = await res.body.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = {};
  }
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body, text };
}

/** POSTs `body` (a value to JSON-encode, or raw text/bytes as is) to `url`. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RestReply> {
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return reply(await request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw }));
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<RestReply> {
  return reply(await request(url, { headers }));
}

/** Asserts a problem+json answer with this status and code; returns the problem. */
export function expectProblem(r: RestReply, status: number, code: string): Record<string, unknown> {
  expect({ status: r.status, code: r.body['code'], contentType: r.contentType }).toEqual({ status, code, contentType: expect.stringContaining('application/problem+json') });
  expect(r.body['status']).toBe(status);
  return r.body;
}
