import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileModel, importCompiled, loadBundle } from '../../src/wsdl';
import { standaloneBodyChildren, writeSchemaSet, xmllint } from '../../scripts/facade-xsd';
import { offlineSets } from './imported-corpus';
import type { WsdlModel } from '../../src/wsdl/model';
import { MockResponder } from '../../src/prototype/generated/mock-response';
import { SampleXml } from '../../src/prototype/generated/sample-xml';

/**
 * Generated mock payloads must be valid instances of the WSDL's own schema: each WSDL's
 * <types> schema is written to a temp .xsd (with the namespace declarations it inherits from
 * wsdl:definitions) and every generated root element is checked with `xmllint --schema`.
 */
const ROOT = path.join(__dirname, '../..');
const CORPUS = path.join(ROOT, '../shared/wsdl-corpus');

function extractSchema(wsdlFile: string): string {
  const text = readFileSync(wsdlFile, 'utf8');
  const defs = /<([\w.-]+:)?definitions\b([^>]*)>/.exec(text);
  const m = /<(([\w.-]+:)?schema)\b([^>]*)>([\s\S]*?)<\/\1>/.exec(text);
  if (!defs || !m) throw new Error(`no schema in ${wsdlFile}`);
  const own = m[3] ?? '';
  let extra = '';
  for (const d of (defs[2] ?? '').matchAll(/\s(xmlns(?::[\w.-]+)?)\s*=\s*("[^"]*"|'[^']*')/g)) {
    if (!new RegExp(`\\s${d[1]}\\s*=`).test(own)) extra += ` ${d[1]}=${d[2]}`;
  }
  return `<?xml version="1.0" encoding="utf-8"?>\n<${m[1]}${extra}${own}>${m[4]}</${m[1]}>`;
}

/** xmllint over many instance files at once; returns the files that do not validate. */
function invalidOnes(xsd: string, instances: Map<string, string>): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'proto-xsd-'));
  try {
    const schemaFile = path.join(dir, 'schema.xsd');
    writeFileSync(schemaFile, xsd);
    const files: string[] = [];
    let i = 0;
    for (const [, xml] of instances) {
      const f = path.join(dir, `i${i++}.xml`);
      writeFileSync(f, xml);
      files.push(f);
    }
    let out = '';
    try {
      execFileSync('/usr/bin/xmllint', ['--noout', '--schema', schemaFile, ...files], { stdio: 'pipe' });
      return [];
    } catch (e) {
      out = String((e as { stderr?: Buffer }).stderr ?? e);
    }
    const names = [...instances.keys()];
    const bad = files.flatMap((f, k) => (out.includes(`${f} fails to validate`) || out.includes(`${f}:`) ? [`${names[k]}: ${out.split('\n').filter((l) => l.startsWith(f)).slice(0, 3).join(' | ')}`] : []));
    return bad.length > 0 ? bad : [out.slice(0, 2000)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function bodyChildren(envelope: string): string {
  const m = /<soap:Body>([\s\S]*)<\/soap:Body>/.exec(envelope);
  return m?.[1] ?? '';
}

function samplesOf(model: WsdlModel): Map<string, string> {
  const samples = new SampleXml(model.schema);
  const out = new Map<string, string>();
  for (const op of model.operations) {
    if (op.style !== 'document') continue;
    for (const p of op.output?.body ?? []) if (p.element) out.set(`${op.name} output ${p.name}`, samples.globalElement(p.element) ?? '<missing/>');
    for (const p of op.input?.body ?? []) if (p.element) out.set(`${op.name} input ${p.name}`, samples.globalElement(p.element) ?? '<missing/>');
    for (const f of op.faults) for (const p of f.parts) if (p.element) out.set(`${op.name} fault ${f.name}`, samples.globalElement(p.element) ?? '<missing/>');
  }
  return out;
}

describe('generated SOAP mock payloads validate against the WSDL schema (xmllint)', () => {
  test('demo Calculator: every output through the MockResponder envelope', async () => {
    const file = path.join(ROOT, 'wsdl/Calculator.wsdl');
    const model = await importCompiled(file, { cacheDir: false });
    const responder = new MockResponder(model);
    const instances = new Map<string, string>();
    for (const op of model.operations) {
      const a = responder.answer(op, op.soapVersion, 200, null);
      expect(a.status).toBe(200);
      expect(a.contentType).toContain(op.soapVersion === '1.2' ? 'application/soap+xml' : 'text/xml');
      instances.set(`${op.name} ${op.soapVersion}`, bodyChildren(a.body));
    }
    expect(instances.get('Add 1.1')).toMatch(/<ns1:AddResponse xmlns:ns1="http:\/\/tempuri.org\/"><ns1:AddResult>1<\/ns1:AddResult><\/ns1:AddResponse>/);
    expect(invalidOnes(extractSchema(file), instances)).toEqual([]);
    // The check itself catches a wrong instance.
    const wrong = new Map([['wrong', '<ns1:AddResponse xmlns:ns1="http://tempuri.org/"><ns1:AddResult>one</ns1:AddResult></ns1:AddResponse>']]);
    expect(invalidOnes(extractSchema(file), wrong)).toHaveLength(1);
  });

  test.each([['cxf-hello-world/hello_world.wsdl'], ['fedex-rate-v31/RateService_v31.wsdl'], ['postman-countryinfo/countryInformation.wsdl']])(
    'corpus %s: every element part of every operation (inputs, outputs, faults)',
    async (rel) => {
      const file = path.join(CORPUS, rel);
      const model = await importCompiled(file, { cacheDir: false });
      const instances = samplesOf(model);
      expect(instances.size).toBeGreaterThan(0);
      expect(invalidOnes(extractSchema(file), instances)).toEqual([]);
    },
  );

  test('a declared wsdl:fault gives a Fault envelope with its detail element (cxf hello world)', async () => {
    const file = path.join(CORPUS, 'cxf-hello-world/hello_world.wsdl');
    const model = await importCompiled(file, { cacheDir: false });
    const responder = new MockResponder(model);
    const op = responder.find('testDocLitFault', '1.1');
    expect(op).toBeDefined();
    const a = responder.answer(op!, '1.1', 500, null);
    expect(a.status).toBe(500);
    expect(a.body).toContain('<faultcode>soap:Server</faultcode>');
    const detail = /<detail>([\s\S]*)<\/detail>/.exec(a.body)?.[1] ?? '';
    expect(detail).toMatch(/^<ns1:NoSuchCodeLit /);
    expect(invalidOnes(extractSchema(file), new Map([['detail', detail]]))).toEqual([]);
    const named = responder.answer(op!, '1.2', 400, 'BadRecordLitFault');
    expect(named.body).toContain('<soap:Value>soap:Sender</soap:Value>');
    expect(named.body).toContain('BadRecordLit');
  });
});

/**
 * Every answer a prototype generates for a document-style operation of the offline corpus (its
 * output, and a Fault for each declared wsdl:fault) validated by xmllint against the set's own
 * schemas, written out as `npm run corpus` does for the facade. Sets whose schemas xmllint cannot
 * compile, and body elements those schemas do not declare, are counted, not judged.
 */
/**
 * Answers no generator can make valid: hl7Message's one child is a strict xs:any, and the only
 * element its schema declares is hl7Message itself, so every valid instance would be infinite.
 */
const NO_VALID_INSTANCE = new Set(['nodesoap-wsdl-style-mix opHl7Message output']);

test('every generated answer of every offline corpus set validates against the set\'s XSD (xmllint)', async () => {
  const invalid: string[] = [];
  const notValidatable: string[] = [];
  const unsatisfiable: string[] = [];
  let validated = 0;
  let sets = 0;
  for (const s of offlineSets()) {
    const bundle = await loadBundle(path.join(CORPUS, s.set, s.entry), { remoteImports: 'skip' });
    const model = compileModel(bundle);
    const dir = mkdtempSync(path.join(tmpdir(), 'proto-answers-'));
    try {
      const schema = writeSchemaSet(bundle, dir);
      if (!schema) continue;
      const responder = new MockResponder(model);
      const files = new Map<string, string>();
      const seen = new Set<string>();
      for (const op of model.operations) {
        if (op.style !== 'document' || seen.has(op.key)) continue;
        seen.add(op.key);
        const answers = [[`${op.key} output`, responder.answer(op, op.soapVersion, 200, null).body], ...op.faults.map((f) => [`${op.key} fault ${f.name}`, responder.answer(op, op.soapVersion, 500, f.name).body])];
        for (const [what, envelope] of answers) {
          const body = /<soap:(?:detail|Detail)>([\s\S]*)<\/soap:(?:detail|Detail)>|<detail>([\s\S]*)<\/detail>/.exec(envelope!);
          const pieces = body ? standaloneDetail(envelope!, body[1] ?? body[2] ?? '') : standaloneBodyChildren(envelope!);
          pieces.forEach((xml, i) => {
            const f = path.join(dir, `a${files.size}.xml`);
            writeFileSync(f, xml);
            files.set(f, `${what}${pieces.length > 1 ? ` #${i}` : ''}`);
          });
        }
      }
      const r = xmllint(schema, [...files.keys()], 120_000);
      if (!r.schemaOk) {
        notValidatable.push(`${s.set}: ${r.schemaError}`);
        continue;
      }
      sets++;
      for (const [f, error] of r.results) {
        if (error === null) validated++;
        else if (/No matching global (element )?declaration available for the validation root/.test(error)) notValidatable.push(`${s.set} ${files.get(f)}: not declared by its schemas`);
        else if (!NO_VALID_INSTANCE.has(`${s.set} ${files.get(f)}`)) invalid.push(`${s.set} ${files.get(f)}: ${error}`);
        else unsatisfiable.push(`${s.set} ${files.get(f)}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`${validated} generated answers valid in ${sets} sets; not validatable: ${notValidatable.length}\n  ${notValidatable.slice(0, 20).join('\n  ')}`);
  expect(invalid).toEqual([]);
  expect(unsatisfiable).toEqual([...NO_VALID_INSTANCE]);
  expect(validated).toBeGreaterThanOrEqual(2000);
}, 300_000);

/** A Fault's detail children as standalone documents, with the Envelope's declarations. */
function standaloneDetail(envelope: string, detail: string): string[] {
  return standaloneBodyChildren(envelope.replace(/<soap:Body>[\s\S]*<\/soap:Body>/, `<soap:Body>${detail}</soap:Body>`));
}