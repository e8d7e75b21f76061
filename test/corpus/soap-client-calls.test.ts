import * as soap from 'soap';
import type { ManifestRow } from '../../scripts/corpus-manifest';
import type { RunningBridge } from '../../src/main';
import { importCorpus, importCorpusToEmptyBackend, misidentified, offlineSets, operationKeyOf, useCorpus } from './imported-corpus';

/**
 * Real client envelopes: the `soap` package loads each offline WSDL 1.1 set from the bridge's
 * `?wsdl` and calls every operation of every SOAP port (empty arguments) through the bridge.
 * 1. To a loopback backend: the bridge must identify each call as the operation the client
 *    called (its SOAPAction quoting, prefixes, rpc wrappers, SOAP 1.2 action parameter — not ours).
 * 2. To prototype endpoints: the client must read every answer generated from the XSD.
 */
const sets = offlineSets((s) => !s.features.includes('wsdl2.0'));

/**
 * Calls whose envelope is not the operation's, through no fault of the bridge: the package
 * serializes the soap:header part of testHeaderPartBeforeBodyPart (testHeader3's element) into
 * the Body, so the bridge rightly sees testHeader3; and it wraps bareNoParam's empty input in a
 * <bareNoParamRequest> element the WSDL does not have, which the bridge refuses (as the CXF
 * service would).
 */
const CLIENT_SENDS_ANOTHER = new Map<string, string | null>([
  ['cxf-soapheader|testHeaderPartBeforeBodyPart', 'cxf-soapheader|testHeader3'],
  ['cxf-doc-lit-bare|bareNoParam', null],
]);
/** Answers the package fails on itself: it does not read an output part bound to a soap:header. */
const CLIENT_CANNOT_READ = new Set(['cxf-soapheader|testHeader5']);

type Method = (args: unknown, cb: (err: unknown) => void) => void;

interface Outcome {
  /** SET|operation key of every call the package made, with its error (null when it read an answer). */
  readonly calls: { key: string; error: string | null }[];
  /** Operations the package will not build a request for (e.g. some rpc bindings). */
  readonly uncallable: number;
  /** Sets it cannot load. */
  readonly cannot: string[];
}

async function callEveryOperation(bridge: RunningBridge, all: readonly ManifestRow[]): Promise<Outcome> {
  const base = bridge.urls.http!;
  const calls: Outcome['calls'] = [];
  const cannot: string[] = [];
  let uncallable = 0;
  for (const s of all) {
    let client: soap.Client;
    try {
      client = await soap.createClientAsync(`${base}/${s.set}/v1?wsdl`, { disableCache: true });
    } catch {
      cannot.push(s.set);
      continue;
    }
    client.setEndpoint(`${base}/${s.set}/v1`);
    const services = client.wsdl.definitions.services as Record<string, { ports: Record<string, { binding: { methods: Record<string, unknown> } }> }>;
    for (const [service, svc] of Object.entries(services)) {
      for (const [port, p] of Object.entries(svc.ports)) {
        const tree = (client as unknown as Record<string, Record<string, Record<string, Method>>>)[service]?.[port];
        for (const op of Object.keys(p.binding.methods ?? {})) {
          const method = tree?.[op];
          if (!method) continue;
          let error: unknown;
          try {
            error = await new Promise<unknown>((done) => method.call(tree, {}, (e) => done(e)));
          } catch {
            uncallable++;
            continue;
          }
          calls.push({ key: `${s.set}|${operationKeyOf(bridge, s.set, port, op)}`, error: error ? String((error as Error).message ?? error).slice(0, 200) : null });
        }
      }
    }
  }
  return { calls, uncallable, cannot };
}

describe('to a loopback backend', () => {
  const corpus = useCorpus(() => importCorpusToEmptyBackend(sets));

  test('every operation the soap package calls is identified as itself', async () => {
    const out = await callEveryOperation(corpus().bridge, sets);
    const called = new Map<string, number>();
    for (const { key: k } of out.calls) {
      const key = CLIENT_SENDS_ANOTHER.has(k) ? CLIENT_SENDS_ANOTHER.get(k) : k;
      if (key) called.set(key, (called.get(key) ?? 0) + 1);
    }
    const wrong = await misidentified(corpus().bridge, called);
    console.log(`${out.calls.length} calls by the soap package (${out.uncallable} operations it will not build a request for); it cannot load ${out.cannot.length} sets: ${out.cannot.join(', ')}`);
    expect(wrong).toEqual([]);
    expect(out.calls.length).toBeGreaterThanOrEqual(3000);
  }, 600_000);
});

describe('to prototype endpoints', () => {
  const corpus = useCorpus(() => importCorpus(sets, { type: 'prototype' }, { state: 'PROTOTYPED' }));

  test('the soap package reads every answer generated from the XSD', async () => {
    const out = await callEveryOperation(corpus().bridge, sets);
    const failed = out.calls.filter((c) => c.error !== null && !CLIENT_CANNOT_READ.has(c.key) && CLIENT_SENDS_ANOTHER.get(c.key) !== null).map((c) => `${c.key}: ${c.error}`);
    console.log(`${out.calls.length} calls answered by prototypes; ${out.calls.filter((c) => c.error === null).length} read by the client`);
    expect(failed).toEqual([]);
    expect(out.calls.length).toBeGreaterThanOrEqual(3000);
  }, 600_000);
});
