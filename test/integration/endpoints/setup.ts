import { HttpEndpoint } from '../../../src/endpoints/leaf/http';
import { SuspendingEndpoint } from '../../../src/endpoints/suspending';
import { suspensionPolicy, type SuspensionPolicy } from '../../../src/endpoints/state';
import { compileFailoverOn } from '../../../src/endpoints/group/failover-on';
import type { FailoverOnConfig } from '../../../src/config/endpoint-schema';
import type { Endpoint } from '../../../src/endpoints/endpoint';
import type { Backend } from '../../utils/backends';

/** Everything a test opened, closed after each test. */
export class Opened {
  private readonly items: { close(): Promise<void> }[] = [];

  add<T extends { close(): Promise<void> }>(x: T): T {
    this.items.push(x);
    return x;
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled(this.items.splice(0).map((x) => x.close()));
  }
}

export interface LeafOptions {
  readonly responseTimeoutMs?: number;
  readonly suspension?: Partial<SuspensionPolicy>;
  readonly failoverOn?: FailoverOnConfig;
  readonly type?: 'http' | 'soap';
}

/** A real undici leaf to a loopback backend, wrapped like the factory wraps it. */
export function leafFor(b: Backend, o: LeafOptions = {}): SuspendingEndpoint {
  const http = new HttpEndpoint({
    name: b.name,
    type: o.type ?? 'http',
    url: b.url,
    appendPath: (o.type ?? 'http') === 'http',
    connectTimeoutMs: 1000,
    responseTimeoutMs: o.responseTimeoutMs ?? 5000,
    connections: 16,
  });
  return new SuspendingEndpoint(http, { policy: suspensionPolicy(o.suspension), failoverOn: compileFailoverOn(o.failoverOn) });
}

export type { Endpoint };
