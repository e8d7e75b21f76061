import path from 'node:path';
import { spawnSync } from 'node:child_process';
import Ajv2020 from 'ajv/dist/2020';
import { buildFacade } from '../../src/facade';
import { openapiDocument } from '../../src/openapi';
import { compileModel, loadBundle, type WsdlModel } from '../../src/wsdl';

/** Shared by the OpenAPI unit tests and the corpus tests: generate, validate, check examples. */
const ROOT = path.join(__dirname, '../..');

export async function load(file: string): Promise<WsdlModel> {
  return compileModel(await loadBundle(file));
}

export type Doc = { paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: Record<string, unknown> } };

export async function generate(file: string): Promise<{ doc: Doc; model: WsdlModel }> {
  const model = await load(file);
  const facade = buildFacade(model);
  const doc = openapiDocument(model, facade, { title: path.basename(file), version: 'v1', serverUrl: 'http://localhost:8280/x/v1' }) as unknown as Doc;
  return { doc, model };
}

/**
 * The validator package is ESM-only and jest runs CommonJS, so it validates in a child node
 * process (the document goes through stdin).
 */
export function validateOpenApi(doc: unknown): { valid: boolean; errors: unknown } {
  const script = "import { Validator } from '@seriousme/openapi-schema-validator'; let s = ''; process.stdin.on('data', (d) => (s += d)); process.stdin.on('end', async () => { const v = new Validator(); const r = await v.validate(JSON.parse(s)); process.stdout.write(JSON.stringify({ valid: r.valid, errors: r.errors ?? null, version: v.version })); });";
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(doc), cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`validator failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { valid: boolean; errors: unknown; version: string };
  expect(out.version).toBe('3.1');
  return out;
}

/** 1. the document is valid OpenAPI 3.1; 2. every request example validates against its own schema. */
export async function check(file: string): Promise<Doc> {
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

