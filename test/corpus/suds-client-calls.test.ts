import * as path from 'node:path';
import { importCorpus, importCorpusToEmptyBackend, misidentified, offlineSets, operationKeyOf, useCorpus } from './imported-corpus';
import { processJson, twoAtATime } from '../interop/json-process';
import { describeWithPython, PYTHON } from '../interop/python';

/**
 * Real client envelopes, third client: python suds loads each offline WSDL 1.1 set from the
 * bridge's `?wsdl` and calls every method of every port it lists (no arguments) through the
 * bridge. suds writes its own envelopes (ns0/ns1 prefixes, a quoted SOAPAction, its rpc
 * wrappers and xsi:type encodings), so:
 * 1. to a loopback backend, the bridge must identify each request that went out as the
 *    operation suds called, counted by the bridge's per-operation metrics;
 * 2. to prototype endpoints, suds must read every answer generated from the XSD.
 */
const sets = offlineSets((s) => !s.features.includes('wsdl2.0'));
const SCRIPT = path.join(__dirname, 'suds_call_all.py');
const maybe = describeWithPython('suds', __filename);

interface Called {
  calls?: { port: string; op: string; sent: boolean; error: string | null }[];
  error?: string;
}

/**
 * Every set's calls, one python process per set, two at a time (see suds_call_all.py). The
 * largest set takes suds ≈ 2 s; it loops forever on postman-loop-ref-groups, hence the 20 s.
 */
function callAll(base: string): Promise<{ set: string; out: Called }[]> {
  return twoAtATime(sets, async (s) => ({ set: s.set, out: await processJson<Called>(PYTHON, [SCRIPT, `${base}/${s.set}/v1?wsdl`], 20_000) }));
}

maybe('python suds calls through the bridge', () => {
  describe('to a loopback backend', () => {
    const corpus = useCorpus(() => importCorpusToEmptyBackend(sets));

    test('every operation suds sends is identified as itself', async () => {
      const sent = new Map<string, number>();
      const cannot: string[] = [];
      let notBuilt = 0;
      let calls = 0;
      for (const { set, out } of await callAll(corpus().bridge.urls.http!)) {
        if (!out.calls) cannot.push(`${set}: ${out.error}`);
        for (const c of out.calls ?? []) {
          if (!c.sent) notBuilt++;
          else {
            // Keyed by port: Travelport's portTypes all name their operation "service".
            const key = `${set}|${operationKeyOf(corpus().bridge, set, c.port, c.op)}`;
            sent.set(key, (sent.get(key) ?? 0) + 1);
            calls++;
          }
        }
      }
      const wrong = await misidentified(corpus().bridge, sent);
      console.log(`${calls} calls of ${sent.size} operations by suds (${notBuilt} it would not build a request for); it cannot load ${cannot.length} sets:\n  ${cannot.join('\n  ')}`);
      expect(wrong).toEqual([]);
      expect(sent.size).toBeGreaterThanOrEqual(2000);
    }, 600_000);
  });

  describe('to prototype endpoints', () => {
    const corpus = useCorpus(() => importCorpus(sets, { type: 'prototype' }, { state: 'PROTOTYPED' }));

    test('every answer generated from the XSD is read by suds', async () => {
      const failed: string[] = [];
      let read = 0;
      for (const { set, out } of await callAll(corpus().bridge.urls.http!)) {
        for (const c of out.calls ?? []) {
          if (!c.sent) continue;
          if (c.error === null) read++;
          else failed.push(`${set}|${c.port}|${c.op}: ${c.error}`);
        }
      }
      console.log(`suds read ${read} prototype answers`);
      expect(failed).toEqual([]);
      expect(read).toBeGreaterThanOrEqual(2000);
    }, 600_000);
  });
});
