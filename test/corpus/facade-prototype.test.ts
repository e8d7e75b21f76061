import Ajv2020 from 'ajv/dist/2020';
import { request, type Dispatcher } from 'undici';
import * as path from 'node:path';
import { compileModel, loadBundle } from '../../src/wsdl';
import type { ManifestRow } from '../../scripts/corpus-manifest';
import { CORPUS } from '../unit/wsdl/helpers';
import { importCorpus, offlineSets, useCorpus } from './imported-corpus';

/**
 * The REST facade, the prototype endpoint and OpenAPI checked against each other through the
 * bridge, on every operation of the offline corpus (imported with `soapbridge import`, deployed
 * as prototypes): each operation's OpenAPI request example is POSTed to the facade (and sent as a
 * query string where OpenAPI offers the GET variant), mapped to a
 * SOAP request, answered by the prototype with an envelope generated from the XSD, mapped back
 * to JSON, and that JSON must validate against the operation's OpenAPI response schema.
 */
const sets = offlineSets();
/** Sets with a SOAP 1.2 port: served a second time, under /SET-soap12, by a facade on that port. */
const soap12 = new Map<string, string>();

const corpus = useCorpus(async () => {
  for (const s of sets) {
    const model = compileModel(await loadBundle(path.join(CORPUS, s.set, s.entry), { remoteImports: 'skip' }));
    const port = model.services.flatMap((v) => v.ports).find((p) => p.soapVersion === '1.2' && model.services.flatMap((v) => v.ports).some((q) => q.soapVersion === '1.1'));
    if (port) soap12.set(s.set, port.name);
  }
  const prototype = (s: ManifestRow): Record<string, unknown> => ({ state: 'PROTOTYPED', expose: { soap: true, rest: true }, ...(s.set.endsWith('-soap12') ? { context: `/${s.set}`, facade: { port: soap12.get(s.set.slice(0, -'-soap12'.length)) } } : {}) });
  const twice = [...sets, ...sets.filter((s) => soap12.has(s.set)).map((s) => ({ ...s, set: `${s.set}-soap12`, entry: path.join('..', s.set, s.entry) }))];
  return importCorpus(twice, { type: 'prototype' }, prototype);
});

type Responses = Record<string, { content?: Record<string, { schema: { $ref: string } }> }>;
type Doc = {
  paths: Record<string, { post?: { requestBody?: { content: Record<string, { example: unknown }> }; responses: Responses }; get?: { parameters: { name: string }[]; responses: Responses } }>;
  components: unknown;
};

/**
 * The request example as a query string (GET variant): arrays repeat their parameter. Optional
 * SOAP headers (`$headers`) have no query form and stay out.
 */
function queryOf(example: unknown): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries((example ?? {}) as Record<string, unknown>)) {
    if (k === '$headers') continue;
    for (const item of Array.isArray(v) ? v : [v]) if (item !== null && item !== undefined) q.append(k, String(item));
  }
  return q.toString();
}

test('facade → prototype → facade answers fit the OpenAPI response schemas', async () => {
  const base = corpus().bridge.urls.http!;
  let calls = 0;
  const failures: string[] = [];
  for (const set of [...sets.map((s) => s.set), ...[...soap12.keys()].map((s) => `${s}-soap12`)]) {
    const s = { set };
    const docRes = await request(`${base}/${s.set}/v1/openapi.json`);
    if (docRes.statusCode !== 200) {
      failures.push(`${s.set}: openapi.json ${docRes.statusCode}`);
      await docRes.body.dump();
      continue;
    }
    const doc = (await docRes.body.json()) as Doc;
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: 'https://soapbridge.test/doc', components: doc.components });
    for (const [p, item] of Object.entries(doc.paths)) {
      if (!item.post) continue;
      const example = item.post.requestBody?.content['application/json']?.example ?? {};
      // POST the example; where OpenAPI offers the GET variant, the same example as a query too.
      const variants: [string, Promise<Dispatcher.ResponseData>][] = [[`POST ${p}`, request(`${base}/${s.set}/v1${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(example) })]];
      if (item.get) variants.push([`GET ${p}`, request(`${base}/${s.set}/v1${p}?${queryOf(example)}`)]);
      for (const [what, pending] of variants) {
        const res = await pending;
        const text = await res.body.text();
        calls++;
        const ok = item.post.responses['200'] ? 200 : 202;
        if (res.statusCode !== ok) {
          failures.push(`${s.set} ${what}: ${res.statusCode} ${text.slice(0, 300)}`);
          continue;
        }
        const schema = item.post.responses['200']?.content?.['application/json']?.schema;
        if (!schema) continue;
        const validate = ajv.compile({ $ref: `https://soapbridge.test/doc${schema.$ref}` });
        if (!validate(JSON.parse(text))) failures.push(`${s.set} ${what}: response does not fit its schema: ${JSON.stringify(validate.errors?.slice(0, 2))} in ${text.slice(0, 300)}`);
      }
    }
  }
  console.log(`${calls} facade operations called through prototype endpoints in ${sets.length} sets (${soap12.size} also on their SOAP 1.2 port); ${failures.length} failed`);
  expect(failures).toEqual([]);
  expect(calls).toBeGreaterThanOrEqual(2500);
}, 600_000);
