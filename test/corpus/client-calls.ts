import { importCorpus, importCorpusToEmptyBackend, misidentified, offlineSets, operationKeyOf, useCorpus } from './imported-corpus';
import { processJson, twoAtATime } from '../interop/json-process';
import { PYTHON } from '../interop/python';

/** What a `*_call_all.py` script prints for one WSDL (see suds_call_all.py, zeep_call_all.py). */
interface Called {
  calls?: { port: string; op: string; sent: boolean; error: string | null }[];
  error?: string;
}

export interface ClientCallsOptions {
  /** The client's name in test titles and logs. */
  readonly client: string;
  /** The python script that loads one `?wsdl` URL and calls every operation of every port. */
  readonly script: string;
  /** Per process; a client stuck on one set (suds on postman-loop-ref-groups) costs this much. */
  readonly timeoutMs: number;
  /**
   * `SET|operation key` → the error the client itself raises on a valid answer (its own schema
   * bugs, shown with a reproduction where listed); any other error fails the test.
   */
  readonly cannotRead?: ReadonlyMap<string, RegExp>;
  /**
   * `SET|operation key` of calls whose request is not the operation's (the client leaves out
   * what the WSDL binds), which the bridge must refuse with SOAP_UNKNOWN_OPERATION, as the
   * service would: counted as refused, not as sent.
   */
  readonly refused?: ReadonlySet<string>;
  /** Sets left out, with why (a client that never returns on one: suds on postman-loop-ref-groups). */
  readonly skip?: ReadonlyMap<string, string>;
}

/** How a client shows the bridge's SOAP_UNKNOWN_OPERATION Fault. */
const UNKNOWN_OPERATION = /The operation is not in the API's WSDL: no operation of this API matches/;

/**
 * Real client envelopes from a python SOAP client: it loads each offline WSDL 1.1 set of the
 * corpus from the bridge's `?wsdl` and calls every operation of every port (no arguments).
 * 1. To a loopback backend: the bridge must identify each request that went out as the
 *    operation the client called (its prefixes, SOAPAction quoting, rpc wrappers), counted
 *    by the bridge's per-operation metrics under the operation's key.
 * 2. To prototype endpoints: the client must read every answer generated from the XSD.
 */
export function describeClientCalls(maybe: jest.Describe, opts: ClientCallsOptions): void {
  const sets = offlineSets((s) => !s.features.includes('wsdl2.0') && !opts.skip?.has(s.set));
  /** Every set's calls, one process per set, two at a time. */
  const callAll = (base: string): Promise<{ set: string; out: Called }[]> =>
    twoAtATime(sets, async (s) => ({ set: s.set, out: await processJson<Called>(PYTHON, [opts.script, `${base}/${s.set}/v1?wsdl`], opts.timeoutMs) }));

  maybe(`python ${opts.client} calls through the bridge`, () => {
    describe('to a loopback backend', () => {
      const corpus = useCorpus(() => importCorpusToEmptyBackend(sets));

      test(`every operation ${opts.client} sends is identified as itself`, async () => {
        const sent = new Map<string, number>();
        const cannot: string[] = [];
        const refused = new Set<string>();
        let notBuilt = 0;
        let calls = 0;
        for (const { set, out } of await callAll(corpus().bridge.urls.http!)) {
          if (!out.calls) cannot.push(`${set}: ${out.error}`);
          for (const c of out.calls ?? []) {
            // Keyed by port: Travelport's portTypes all name their operation "service".
            const key = `${set}|${operationKeyOf(corpus().bridge, set, c.port, c.op)}`;
            if (!c.sent) notBuilt++;
            else if (opts.refused?.has(key)) refused.add(`${key}: ${UNKNOWN_OPERATION.test(c.error ?? '') ? 'refused' : c.error}`);
            else {
              sent.set(key, (sent.get(key) ?? 0) + 1);
              calls++;
            }
          }
        }
        const wrong = await misidentified(corpus().bridge, sent);
        expect([...refused].sort()).toEqual([...(opts.refused ?? [])].map((k) => `${k}: refused`).sort());
        console.log(`${calls} calls of ${sent.size} operations by ${opts.client} (${notBuilt} it would not build a request for); it cannot load ${cannot.length} sets:\n  ${cannot.join('\n  ')}`);
        expect(wrong).toEqual([]);
        expect(sent.size).toBeGreaterThanOrEqual(2000);
      }, 600_000);
    });

    describe('to prototype endpoints', () => {
      const corpus = useCorpus(() => importCorpus(sets, { type: 'prototype' }, { state: 'PROTOTYPED' }));

      test(`every answer generated from the XSD is read by ${opts.client}`, async () => {
        const failed: string[] = [];
        const cannotRead = new Set<string>();
        let read = 0;
        for (const { set, out } of await callAll(corpus().bridge.urls.http!)) {
          for (const c of out.calls ?? []) {
            if (!c.sent) continue;
            const key = `${set}|${operationKeyOf(corpus().bridge, set, c.port, c.op)}`;
            if (c.error === null) read++;
            else if (opts.refused?.has(key) && UNKNOWN_OPERATION.test(c.error)) continue;
            else if (opts.cannotRead?.get(key)?.test(c.error)) cannotRead.add(key);
            else failed.push(`${key} (port ${c.port}): ${c.error}`);
          }
        }
        console.log(`${opts.client} read ${read} prototype answers; ${cannotRead.size} it cannot read through its own fault`);
        expect(failed).toEqual([]);
        // Each listed exception still happens: a fixed client (or a changed answer) shows here.
        expect([...cannotRead].sort()).toEqual([...(opts.cannotRead?.keys() ?? [])].sort());
        expect(read).toBeGreaterThanOrEqual(2000);
      }, 600_000);
    });
  });
}
