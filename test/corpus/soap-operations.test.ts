import * as path from 'node:path';
import { request } from 'undici';
import { compileModel, loadBundle, type Operation } from '../../src/wsdl';
import { qnLocal, qnNs } from '../../src/wsdl/qname';
import { CORPUS } from '../unit/wsdl/helpers';
import { importCorpusToEmptyBackend, misidentified, offlineSets, SOAP_ENV, useCorpus } from './imported-corpus';

/**
 * SOAP pass-through on every operation of the offline corpus (WSDL 1.1 and 2.0, imported with
 * `soapbridge import`): an envelope carrying the operation's action and input element is sent
 * through the bridge to a loopback backend, and the bridge must identify that very operation
 * (per-operation metrics), not another one sharing its action or element. Operations the WSDL
 * itself does not tell apart (no distinct action, same input element) are counted, not judged.
 */
const sets = offlineSets();
const corpus = useCorpus(() => importCorpusToEmptyBackend(sets));

/** The Body's first element the operation expects (rpc: the wrapper named after it). */
function inputElement(op: Operation): string | null {
  return op.style === 'rpc' ? `{${op.input?.namespace ?? ''}}${op.name}` : op.inputElement;
}

test('the bridge identifies every operation a WSDL tells apart', async () => {
  const base = corpus().bridge.urls.http!;
  const expected = new Map<string, number>(); // api|operation key -> requests
  let sent = 0;
  let alike = 0;
  const refused: string[] = [];
  for (const s of sets) {
    const model = compileModel(await loadBundle(path.join(CORPUS, s.set, s.entry), { remoteImports: 'skip' }));
    const ops = model.operations.filter((o) => o.soapVersion && o.port !== null);
    for (const op of ops) {
      const v = op.soapVersion!;
      const el = inputElement(op);
      // The WSDL tells this operation apart from the others of its version by its action, or by
      // its element among the operations sharing its action (or all of them without one).
      // Operations are told apart by key: Travelport's portTypes all name theirs "service".
      const peers = ops.filter((o) => o.soapVersion === v && o.key !== op.key);
      const sameAction = op.soapAction ? peers.filter((o) => o.soapAction === op.soapAction) : peers;
      const distinct = (op.soapAction !== '' && sameAction.length === 0) || (el !== null && !sameAction.some((o) => inputElement(o) === el));
      if (!distinct) {
        alike++;
        continue;
      }
      const body = el ? `<b:${qnLocal(el)} xmlns:b="${qnNs(el)}"/>` : '';
      const headers: Record<string, string> =
        v === '1.1'
          ? { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${op.soapAction}"` }
          : { 'content-type': `application/soap+xml; charset=utf-8${op.soapAction ? `; action="${op.soapAction}"` : ''}` };
      const res = await request(`${base}/${s.set}/v1`, { method: 'POST', headers, body: `<e:Envelope xmlns:e="${SOAP_ENV[v]}"><e:Body>${body}</e:Body></e:Envelope>` });
      const text = await res.body.text();
      sent++;
      if (res.statusCode !== 200) refused.push(`${s.set} ${op.key} (${v}): ${res.statusCode} ${text.slice(0, 200)}`);
      else expected.set(`${s.set}|${op.key}`, (expected.get(`${s.set}|${op.key}`) ?? 0) + 1);
    }
  }
  const wrong = await misidentified(corpus().bridge, expected);
  console.log(`${sent} operations sent through the bridge in ${sets.length} sets; ${alike} not told apart by their WSDL (skipped)`);
  expect(refused).toEqual([]);
  expect(wrong).toEqual([]);
  expect(sent).toBeGreaterThanOrEqual(3000);
}, 300_000);
