import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileModel, loadBundle, type WsdlModel } from '../../../src/wsdl';
import { BridgeError } from '../../../src/errors/bridge-error';
import type { FacadeOperation } from '../../../src/facade';
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

/** The 400 REQUEST_INVALID that `op.toEnvelope(input)` must throw: its JSON path and message. */
export function rejects(op: FacadeOperation, input: unknown): { path: unknown; message: string } {
  try {
    op.toEnvelope(input);
  } catch (e) {
    expect(e).toBeInstanceOf(BridgeError);
    const b = e as BridgeError;
    expect(b.code).toBe('REQUEST_INVALID');
    expect(b.status).toBe(400);
    return { path: b.extensions.path, message: b.message };
  }
  throw new Error('expected a REQUEST_INVALID');
}
