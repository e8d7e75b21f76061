/**
 * The fast XML scanner against the full one on every document of the real-world corpus: the same
 * tree, or a fallback; and it must carry most of the corpus, or it is not worth having.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeXml } from '../../src/wsdl/xml/decode-xml';
import { fastScanXml } from '../../src/wsdl/xml/fast-scan-xml';
import { MAX_DEPTH } from '../../src/wsdl/xml/scan-xml';
import { CORPUS } from '../unit/wsdl/helpers';
import { shapeOf, strictOrError } from '../unit/wsdl/xml-shape';

function documents(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return documents(p);
    return /\.(wsdl|xsd|xml)$/i.test(e.name) ? [p] : [];
  });
}

it('builds the full scanner tree, or falls back, on every corpus document', () => {
  const files = documents(CORPUS);
  expect(files.length).toBeGreaterThan(80);
  let fast = 0;
  for (const f of files) {
    const text = decodeXml(readFileSync(f));
    const tree = fastScanXml(text, MAX_DEPTH);
    if (tree === undefined) continue;
    fast++;
    const strict = strictOrError(text);
    if (strict instanceof Error) throw new Error(`${f}: fast scanner accepted what the full scanner refuses: ${strict.message}`);
    if (JSON.stringify(shapeOf(tree)) !== JSON.stringify(shapeOf(strict))) throw new Error(`${f}: the two scanners built different trees`);
  }
  expect(fast).toBeGreaterThan(files.length * 0.8);
});
