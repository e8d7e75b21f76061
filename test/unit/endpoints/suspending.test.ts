import { SuspendingEndpoint, type StateChange } from '../../../src/endpoints/suspending';
import { suspensionPolicy } from '../../../src/endpoints/state';
import { compileFailoverOn, faultCode, FailedResponse } from '../../../src/endpoints/group/failover-on';
import { ctx, readBody, request } from '../../utils/backends';
import { FakeLeaf, refused, timedOut } from './fake-leaf';

const fault11 = (code: string): string =>
  `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:${code}</faultcode><faultstring>x</faultstring></s:Fault></s:Body></s:Envelope>`;
const fault12 = (code: string): string =>
  `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><e:Fault><e:Code><e:Value>e:${code}</e:Value></e:Code></e:Fault></e:Body></e:Envelope>`;

describe('SuspendingEndpoint', () => {
  it('suspends on a connect error, refuses until the time is up, then lets exactly one probe through', async () => {
    let now = 0;
    let down = true;
    const leaf = new FakeLeaf('a', () => (down ? refused() : { status: 200 }));
    const s = new SuspendingEndpoint(leaf, { policy: suspensionPolicy(), clock: () => now });
    const changes: StateChange[] = [];
    s.on('stateChange', (c) => changes.push(c));
    await expect(s.send(request(), ctx())).rejects.toMatchObject({ code: 'ENDPOINT_UNREACHABLE' });
    expect(s.status()).toMatchObject({ state: 'SUSPENDED', suspendedUntil: new Date(1000).toISOString() });
    expect(s.isAvailable(999)).toBe(false);
    await expect(s.send(request(), ctx())).rejects.toMatchObject({ code: 'ENDPOINT_ALL_SUSPENDED', retryable: true, requestSent: false });
    expect(leaf.received).toHaveLength(1);
    now = 1000;
    down = false;
    // two concurrent requests: the first is the probe, the second is refused
    const [p, q] = await Promise.allSettled([s.send(request(), ctx()), s.send(request(), ctx())]);
    expect(p.status).toBe('fulfilled');
    expect(q).toMatchObject({ status: 'rejected', reason: { code: 'ENDPOINT_ALL_SUSPENDED' } });
    expect(s.state).toEqual({ kind: 'ACTIVE' });
    expect(changes.map((c) => `${c.from.kind}->${c.to.kind}:${c.cause}`)).toEqual(['ACTIVE->SUSPENDED:ENDPOINT_UNREACHABLE', 'SUSPENDED->ACTIVE:success']);
  });

  it('goes to TIMEOUT on a timeout and keeps admitting requests', async () => {
    const s = new SuspendingEndpoint(new FakeLeaf('a', () => timedOut()), { policy: suspensionPolicy() });
    await expect(s.send(request(), ctx())).rejects.toMatchObject({ code: 'ENDPOINT_TIMEOUT' });
    expect(s.state.kind).toBe('TIMEOUT');
    expect(s.isAvailable(Date.now())).toBe(true);
    await expect(s.send(request(), ctx())).rejects.toMatchObject({ code: 'ENDPOINT_TIMEOUT' });
    expect(s.state.kind).toBe('SUSPENDED');
  });

  it('a configured status becomes a retryable FailedResponse that keeps the answer', async () => {
    const s = new SuspendingEndpoint(new FakeLeaf('a', () => ({ status: 503, body: 'later' })), {
      policy: suspensionPolicy(),
      failoverOn: compileFailoverOn({ status: [503] }),
    });
    const err = await s.send(request(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FailedResponse);
    expect(err).toMatchObject({ code: 'BACKEND_SERVER_FAULT', retryable: true, requestSent: true });
    const kept = (err as FailedResponse).response()!;
    expect([kept.status, await readBody(kept.body)]).toEqual([503, 'later']);
    expect(s.state.kind).toBe('TIMEOUT');
  });

  it('fails over on configured SOAP fault codes only (1.1 and 1.2, Server ≡ Receiver)', async () => {
    const failoverOn = compileFailoverOn({ soapFault: ['Server'] });
    const answer = (xml: string) => () => ({ status: 500, body: xml, headers: { 'content-type': 'text/xml; charset=utf-8' } });
    const run = (xml: string) => new SuspendingEndpoint(new FakeLeaf('a', answer(xml)), { policy: suspensionPolicy(), failoverOn }).send(request(), ctx());
    await expect(run(fault11('Server'))).rejects.toBeInstanceOf(FailedResponse);
    await expect(run(fault12('Receiver'))).rejects.toBeInstanceOf(FailedResponse);
    const client = await run(fault11('Client'));
    expect(await readBody(client.body)).toBe(fault11('Client'));
  });

  it('reads fault codes by local name and ignores non-faults and DOCTYPEs', () => {
    expect(faultCode(fault11('Server'))).toBe('Server');
    expect(faultCode(fault12('Sender'))).toBe('Sender');
    expect(faultCode('<a/>')).toBeUndefined();
    expect(faultCode('<!DOCTYPE x [<!ENTITY e "x">]><x/>')).toBeUndefined();
  });

  it('a probe ended by the client going away hands the probe to the next request', async () => {
    let now = 0;
    const { BridgeError } = await import('../../../src/errors/bridge-error');
    let behave: () => ReturnType<typeof refused> | { status: number } = () => refused();
    const s = new SuspendingEndpoint(new FakeLeaf('a', () => behave()), { policy: suspensionPolicy(), clock: () => now });
    await s.send(request(), ctx()).catch(() => undefined);
    now = 1000;
    behave = () => new BridgeError('BAD_REQUEST', 'client closed', { retryable: false, requestSent: true });
    await s.send(request(), ctx()).catch(() => undefined);
    expect(s.isAvailable(now)).toBe(true);
    expect(s.state).toMatchObject({ kind: 'SUSPENDED', probing: false, lastSuspendMs: 1000 });
  });
});
