import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { compileModel, loadBundle } from '../../src/wsdl';
import { HttpBindingRoutes } from '../../src/soap/http-bindings';
import { importCorpus, offlineSets, useCorpus } from './imported-corpus';
import { processJson, twoAtATime } from '../interop/json-process';
import { describeWithPython, PYTHON } from '../interop/python';
import { CORPUS } from '../unit/wsdl/helpers';

/**
 * The corpus's HTTP GET/POST bindings (ASMX's HttpGet/HttpPost ports, zeep's relative-location
 * test WSDL) through the bridge: python zeep loads each set's `?wsdl` and calls every operation
 * of every HTTP port; the backend behind each API must receive each call with the binding's
 * verb at the endpoint's path + the operation's location.
 */
const SCRIPT = path.join(__dirname, 'zeep_call_all.py');
const wsdl11 = offlineSets((s) => !s.features.includes('wsdl2.0'));

interface Called {
  calls?: { port: string; op: string; sent: boolean; error: string | null }[];
  error?: string;
}

const seen: string[] = [];
const backend = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    seen.push(`${req.method} ${new URL(req.url!, 'http://x').pathname}`);
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end('<string xmlns="http://tempuri.org/">ok</string>');
  });
});

describeWithPython('zeep', __filename)('HTTP bindings of the corpus through the bridge', () => {
  let expected: Map<string, string[]>;
  const corpus = useCorpus(async () => {
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    // Each API's endpoint at its own path of one backend, so a request names its set.
    return importCorpus(wsdl11, { type: 'soap', url: origin }, (s) => ({ endpoints: { production: { type: 'soap', url: `${origin}/${s.set}` } } }));
  });

  beforeAll(async () => {
    expected = new Map();
    for (const s of wsdl11) {
      const routes = HttpBindingRoutes.of(compileModel(await loadBundle(path.join(CORPUS, s.set, s.entry), { remoteImports: 'skip' })));
      if (routes) expected.set(s.set, routes.list().map((r) => `${r.verb} /${s.set}${r.location}`));
    }
  }, 60_000);

  afterAll(async () => {
    backend.closeAllConnections();
    await new Promise((r) => backend.close(r));
  });

  test('every HTTP binding operation zeep calls reaches the backend at its location', async () => {
    const base = corpus().bridge.urls.http!;
    const sets = [...expected.keys()];
    const outs = await twoAtATime(sets, (set) => processJson<Called>(PYTHON, [SCRIPT, `${base}/${set}/v1?wsdl`, '--http'], 60_000));
    let calls = 0;
    for (const out of outs as Called[]) {
      expect(out.error).toBeUndefined();
      calls += out.calls?.filter((c) => c.sent).length ?? 0;
    }
    console.log(`zeep made ${calls} HTTP binding calls in ${sets.length} sets (${sets.join(', ')})`);
    expect([...seen].sort()).toEqual([...expected.values()].flat().sort());
    expect(sets.length).toBeGreaterThanOrEqual(3);
  }, 300_000);
});
