import { createHash } from 'node:crypto';
import type { ApiRuntime } from './api-runtime';
import type { Exchange } from './exchange';
import type { Endpoint } from '../endpoints/endpoint';
import { BridgeError } from '../errors/bridge-error';
import { servingDecision } from '../lifecycle/lifecycle';
import { firstHeader } from '../http/headers';

/**
 * Decides which endpoint tree serves a call: the API key's type picks production or sandbox
 * (no key configured: production, else sandbox), then the lifecycle state decides whether that
 * endpoint may serve at all (prototypes only in CREATED/PROTOTYPED, real backends only in
 * PUBLISHED/DEPRECATED; BLOCKED answers 503).
 */
export function selectEndpoint(ex: Exchange, api: ApiRuntime): Endpoint {
  let env: 'production' | 'sandbox' = api.production ? 'production' : 'sandbox';
  const keys = api.config.apiKeys;
  if (keys) {
    const given = firstHeader(ex.req.headers[keys.header.toLowerCase()]);
    if (!given) throw new BridgeError('UNAUTHORIZED', `missing API key (header "${keys.header}")`);
    const hash = createHash('sha256').update(given).digest('hex');
    const key = keys.keys.find((k) => k.sha256 === hash);
    if (!key) throw new BridgeError('UNAUTHORIZED', 'unknown API key');
    env = key.type;
    // The key is the consumer's credential for the bridge: never pass it on to the backend
    // (both proxies copy the request headers after this call).
    delete ex.req.headers[keys.header.toLowerCase()];
  }
  const endpoint = api[env];
  if (!endpoint) throw new BridgeError('FORBIDDEN', `this key is a ${env} key and ${api.name} has no ${env} endpoints`);
  const decision = servingDecision(api.config.state, endpoint.type === 'prototype');
  if (decision === 'blocked') throw new BridgeError('API_BLOCKED', `${api.name} is blocked`);
  if (decision === 'not-served') throw new BridgeError('API_NOT_SERVED', `${api.name} is ${api.config.state}: its ${endpoint.type === 'prototype' ? 'prototype' : ''} endpoint is not served`.replace('  ', ' '));
  return endpoint;
}

/** ?wsdl and openapi.json follow the lifecycle too: nothing of a CREATED-without-prototype or RETIRED API. */
export function checkDocsServed(api: ApiRuntime): void {
  const state = api.config.state;
  if (state === 'RETIRED') throw new BridgeError('API_NOT_SERVED', `${api.name} is RETIRED`);
  // Before publishing, the description is only out when a prototype can answer calls to it.
  const endpoints = [api.production, api.sandbox].filter((e): e is Endpoint => e !== null);
  if (endpoints.every((e) => servingDecision(state, e.type === 'prototype') === 'not-served')) {
    throw new BridgeError('API_NOT_SERVED', `${api.name} is ${state}: nothing of it is served`);
  }
}
