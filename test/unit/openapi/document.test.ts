import path from 'node:path';
import { spawnSync } from 'node:child_process';
import Ajv2020 from 'ajv/dist/2020';
import { buildFacade, sampleInput } from '../../../src/facade';
import { openapiDocument } from '../../../src/openapi';
import { compileModel, loadBundle, type WsdlModel } from '../../../src/wsdl';

const ROOT = path.join(__dirname, '../../..');
const CORPUS = path.join(ROOT, '../shared/wsdl-corpus');

async function load(file: string): Promise<WsdlModel> {
  return compileModel(await loadBundle(file));
}

type Doc = { paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: Record<string, unknown> } };

async function generate(file: string): Promise<{ doc: Doc; model: WsdlModel }> {
  const model = await load(file);
  const facade = buildFacade(model);
  const doc = openapiDocument(model, facade, { title: path.basename(file), version: 'v1', serverUrl: 'http://localhost:8280/x/v1' }) as unknown as Doc;
  return { doc, model };
}

/**
 * The validator package is ESM-only and jest runs CommonJS, so it validates in a child node
 * process (the document goes through stdin).
 */
function validateOpenApi(doc: unknown): { valid: boolean; errors: unknown } {
  const script = "import { Validator } from '@seriousme/openapi-schema-validator'; let s = ''; process.stdin.on('data', (d) => (s += d)); process.stdin.on('end', async () => { const v = new Validator(); const r = await v.validate(JSON.parse(s)); process.stdout.write(JSON.stringify({ valid: r.valid, errors: r.errors ?? null, version: v.version })); });";
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(doc), cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`validator failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { valid: boolean; errors: unknown; version: string };
  expect(out.version).toBe('3.1');
  return out;
}

/** 1. the document is valid OpenAPI 3.1; 2. every request example validates against its own schema. */
async function check(file: string): Promise<Doc> {
  const { doc } = await generate(file);
  const result = validateOpenApi(doc);
  expect({ file, errors: result.valid ? [] : result.errors }).toEqual({ file, errors: [] });
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema({ $id: 'https://soapbridge.test/doc', components: doc.components });
  for (const [p, item] of Object.entries(doc.paths)) {
    const body = item.post?.requestBody as { content: Record<string, { schema: { $ref: string }; example: unknown }> } | undefined;
    if (!body) continue;
    const media = body.content['application/json'] as { schema: { $ref: string }; example: unknown };
    const validate = ajv.compile({ $ref: `https://soapbridge.test/doc${media.schema.$ref}` });
    const ok = validate(media.example);
    expect({ path: p, errors: ok ? null : validate.errors }).toEqual({ path: p, errors: null });
  }
  return doc;
}

describe('OpenAPI 3.1 from the WSDL', () => {
  test('Calculator: one POST and GET per operation, example, problem+json errors', async () => {
    const doc = await check(path.join(ROOT, 'wsdl/Calculator.wsdl'));
    expect(Object.keys(doc.paths)).toEqual(['/add', '/subtract', '/multiply', '/divide']);
    const add = doc.paths['/add'] as Record<string, Record<string, unknown>>;
    expect(add.post?.requestBody).toMatchObject({ content: { 'application/json': { example: { intA: 1, intB: 1 } } } });
    expect((add.get?.parameters as { name: string }[]).map((p) => p.name)).toEqual(['intA', 'intB']);
    expect(add.post?.responses).toMatchObject({ '400': { content: { 'application/problem+json': {} } }, '502': {} });
  });

  test('shop fixture: oneOf + $type discriminator, $ref recursion, nullable, enums, attributes', async () => {
    const doc = await check(path.join(__dirname, '../facade/fixtures/shop.wsdl'));
    const s = doc.components.schemas as Record<string, Record<string, unknown>>;
    const req = s.PlaceOrderRequest as { properties: Record<string, Record<string, unknown>> };
    expect(req.properties.pet).toMatchObject({ discriminator: { propertyName: '$type', mapping: { Dog: '#/components/schemas/Dog', Cat: '#/components/schemas/Cat' } } });
    expect((req.properties.pet as { oneOf: unknown[] }).oneOf).toHaveLength(2); // Animal is abstract
    expect(s.TreeNode).toMatchObject({ properties: { child: { type: 'array', items: { $ref: '#/components/schemas/TreeNode' } } } });
    expect(s.Order).toMatchObject({ properties: { note: { type: ['string', 'null'] }, '@currency': { type: 'string' } }, required: expect.arrayContaining(['@currency', 'id', 'items']) });
    expect(s.Status).toEqual({ type: 'string', enum: ['NEW', 'PAID'] });
    expect(s.Money).toMatchObject({ properties: { $value: { type: ['number', 'string'] } } });
    expect(req.properties.$headers).toMatchObject({ properties: { auth: { type: 'object' } } });
  });

  test('rpc/encoded fixture: soapenc:Array is a JSON array', async () => {
    const doc = await check(path.join(__dirname, '../facade/fixtures/rpc-encoded.wsdl'));
    expect(doc.components.schemas.ArrayOfInt).toMatchObject({ type: 'array', items: { type: ['integer', 'null'] } });
  });

  test.each(['nodesoap-complex-registration', 'wasabi-marketo', 'savon-betfair', 'wasabi-tradetracker', 'nodesoap-xsi-type-metadata', 'strongsoap-cdyne-weather'])('corpus set %s', async (set) => {
    const manifest = (await import('node:fs')).readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8');
    const row = manifest.split('\n').find((l) => l.startsWith(`${set}\t`));
    if (!row) return; // corpus not present here: covered by npm run corpus
    await check(path.join(CORPUS, set, row.split('\t')[1] as string));
  });

  test('sample inputs of the fixture also pass the mapper (the same convention on both sides)', async () => {
    const model = await load(path.join(__dirname, '../facade/fixtures/shop.wsdl'));
    const facade = buildFacade(model);
    for (const op of facade.operations()) expect(() => op.toEnvelope(sampleInput(facade.view, op.input))).not.toThrow();
  });
});
