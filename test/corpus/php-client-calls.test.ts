import * as path from 'node:path';
import { importCorpus, importCorpusToEmptyBackend, misidentified, offlineSets, useCorpus } from './imported-corpus';
import { describeWithPhpSoap, phpJson } from '../interop/php';

/**
 * Real client envelopes, second client: PHP's SoapClient loads each offline WSDL 1.1 set from
 * the bridge's `?wsdl` and calls every operation it lists (no arguments) through the bridge to a
 * loopback backend. The bridge must identify each request that went out as the operation PHP
 * called (PHP's prefixes, its rpc wrappers and encodings, its SOAPAction), counted by the
 * bridge's per-operation metrics.
 */
const sets = offlineSets((s) => !s.features.includes('wsdl2.0'));
/**
 * PHP sends a SOAP envelope to a port with an http:binding (form-encoded POST in the WSDL), which
 * the bridge does not serve as SOAP: it must refuse it as an unknown operation.
 */
const SOAP_TO_HTTP_BINDING = new Set(['zeep-http-binding|GetLastTradePrice']);
/**
 * Answers PHP cannot read, through no fault of the answer: SoapClient has no SOAP-with-attachments
 * support, so it looks for the MIME parts of echoAllAttachmentTypes' output (two of them
 * xsd:base64Binary) in the Body and fails on their absence ("Violation of encoding rules"); the
 * Body itself holds what the binding puts there (OutputResponseAll only).
 */
const PHP_CANNOT_READ = new Set(['cxf-swa-mime|echoAllAttachmentTypes']);
const SCRIPT = path.join(__dirname, 'php_call_all.php');
const maybe = describeWithPhpSoap(__filename);

interface Called {
  calls?: { op: string; sent: boolean; error: string | null }[];
  error?: string;
}

function callAll(wsdl: string, version: '1.1' | '1.2'): Promise<Called> {
  return phpJson<Called>(SCRIPT, [wsdl, version], 120_000);
}

maybe('PHP SoapClient calls through the bridge', () => {
  const corpus = useCorpus(() => importCorpusToEmptyBackend(sets));

  test('every operation PHP sends is identified as itself', async () => {
    const base = corpus().bridge.urls.http!;
    const sent = new Map<string, number>();
    const cannot: string[] = [];
    const refused = new Set<string>();
    let notBuilt = 0;
    let calls = 0;
    for (const s of sets) {
      // SoapClient's soap_version picks the envelope (and, where both exist, the port) it uses.
      for (const version of ['1.1', '1.2'] as const) {
        const out = await callAll(`${base}/${s.set}/v1?wsdl`, version);
        if (!out.calls) {
          if (version === '1.1') cannot.push(`${s.set}: ${out.error}`);
          continue;
        }
        for (const c of out.calls) {
          const key = `${s.set}|${c.op}`;
          if (SOAP_TO_HTTP_BINDING.has(key)) refused.add(`${key}: ${c.error}`);
          else if (!c.sent) notBuilt++;
          else {
            sent.set(key, (sent.get(key) ?? 0) + 1);
            calls++;
          }
        }
      }
    }
    // By name: __soapCall cannot choose among operations sharing one (Travelport's "service").
    const wrong = await misidentified(corpus().bridge, sent, { byName: true });
    console.log(`${calls} calls of ${sent.size} operations by PHP SoapClient, as SOAP 1.1 and 1.2 (${notBuilt} it would not build a request for); it cannot load ${cannot.length} sets:\n  ${cannot.join('\n  ')}`);
    expect(wrong).toEqual([]);
    expect([...refused]).toEqual([...SOAP_TO_HTTP_BINDING].map((k) => expect.stringMatching(new RegExp(`^${k.replace('|', '\\|')}: The operation is not in the API's WSDL: no operation of this API matches`))));
    expect(sent.size).toBeGreaterThanOrEqual(2000);
  }, 600_000);
});

maybe('PHP SoapClient reads prototype answers', () => {
  const corpus = useCorpus(() => importCorpus(sets, { type: 'prototype' }, { state: 'PROTOTYPED' }));

  test('every answer generated from the XSD is read by PHP', async () => {
    const base = corpus().bridge.urls.http!;
    const failed: string[] = [];
    let read = 0;
    for (const s of sets) {
      const out = await callAll(`${base}/${s.set}/v1?wsdl`, '1.1');
      for (const c of out.calls ?? []) {
        const key = `${s.set}|${c.op}`;
        if (SOAP_TO_HTTP_BINDING.has(key) || !c.sent) continue;
        if (c.error === null) read++;
        else if (PHP_CANNOT_READ.has(key)) expect(c.error).toBe('SOAP-ERROR: Encoding: Violation of encoding rules');
        else failed.push(`${s.set}|${c.op}: ${c.error}`);
      }
    }
    console.log(`PHP SoapClient read ${read} prototype answers`);
    expect(failed).toEqual([]);
    expect(read).toBeGreaterThanOrEqual(2000);
  }, 600_000);
});
