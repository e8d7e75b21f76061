import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileModel, loadBundle, type WsdlModel } from '../../../src/wsdl';
import { standaloneBodyChildren, writeSchemaSet, xmllint } from '../../../scripts/facade-xsd';

export const FIXTURES = path.join(__dirname, 'fixtures');

export async function fixture(name: string): Promise<{ model: WsdlModel; schema: string | null }> {
  const bundle = await loadBundle(path.join(FIXTURES, name));
  const dir = mkdtempSync(path.join(tmpdir(), 'facade-xsd-'));
  return { model: compileModel(bundle), schema: writeSchemaSet(bundle, dir) };
}

/** Validates every Body child of an envelope with xmllint; returns the errors (empty = valid). */
export function validateBody(schema: string, envelope: string): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'facade-xml-'));
  const files = standaloneBodyChildren(envelope).map((xml, i) => {
    const f = path.join(dir, `body${i}.xml`);
    writeFileSync(f, xml);
    return f;
  });
  const r = xmllint(schema, files);
  if (!r.schemaOk) return [`schema: ${r.schemaError}`];
  return [...r.results.values()].filter((e): e is string => e !== null);
}
