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

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Eight clients call `call` in a loop (bounded by a request cap and by the end of the scenario)
 * while `victim` is killed 200 ms in, kept down for 1 s (several suspension probes) and restarted;
 * the load stops shortly after the victim serves again (waited for at most 3 s).
 * `backMs`: from the restart until the victim's first request.
 */
export async function crashAndRestartUnderLoad(victim: Backend, call: () => Promise<unknown>): Promise<{ sent: number; failed: number; backMs: number }> {
  let sent = 0;
  let failed = 0;
  let stop = false;
  const client = async (): Promise<void> => {
    while (!stop && sent < 50_000) {
      sent++;
      try {
        await call();
      } catch {
        failed++;
      }
    }
  };
  const load = Promise.all(Array.from({ length: 8 }, client));
  await sleep(200);
  await victim.kill();
  await sleep(1000);
  const hitsWhileDown = victim.hits;
  await victim.restart();
  const restartedAt = Date.now();
  while (victim.hits === hitsWhileDown && Date.now() - restartedAt < 3000) await sleep(10);
  const backMs = Date.now() - restartedAt;
  await sleep(100);
  stop = true;
  await load;
  return { sent, failed, backMs };
}
