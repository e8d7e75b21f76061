import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { compareFilesAndBridge, type ClientView } from './client-views';
import { offlineSets, useImportedCorpus } from './imported-corpus';

/**
 * Java's JAX-WS RI (Debian jaxws, installed by .ci/run): `wsimport` generates the client classes
 * of every offline WSDL 1.1 set once from the original files and once from the bridge's `?wsdl`
 * alone, and must generate the same Java: the same files, each with the same lines. Lines are
 * compared sorted: from the bridge, XSOM orders the attribute groups of a few Travelport types
 * differently (a declaration order it takes from how it reached the documents), which changes
 * the order of fields, not the API. The WSDL location wsimport writes into the service classes
 * differs by nature and is blanked. Sets wsimport refuses from the files are counted, not compared.
 */
const sets = offlineSets((s) => !s.features.includes('wsdl2.0'));
const hasWsimport = spawnSync('wsimport', ['-version'], { stdio: 'ignore' }).status === 0;
if (!hasWsimport) console.warn(`SKIPPED ${__filename}: "wsimport" is missing (install the jaxws Debian package)`);
const maybe = hasWsimport ? describe : describe.skip;

/** Generated file → digest of its sorted lines. */
interface JavaView {
  files: Record<string, string>;
}

function javaFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? javaFiles(dir, path.join(prefix, e.name)) : e.name.endsWith('.java') ? [path.join(prefix, e.name)] : [],
  );
}

/** wsimport on `wsdl` (sources only, SOAP 1.2 ports included); the view of what it generated. */
function wsimport(wsdl: string): Promise<ClientView<JavaView>> {
  const out = mkdtempSync(path.join(tmpdir(), 'wsimport-'));
  return new Promise((resolve) => {
    execFile('wsimport', ['-quiet', '-extension', '-Xnocompile', '-s', out, '-d', out, wsdl], { timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      try {
        if (err) return resolve({ error: `${`${stdout}\n${stderr}`.trim().split('\n').find((l) => /error/i.test(l)) ?? err.message}`.slice(0, 300) });
        // wsimport writes the canonical path (through symlinks, as ../shared may be); the longer forms first.
        const real = wsdl.includes('://') ? wsdl : realpathSync(wsdl);
        const locations = [`file:${real}`, `file:${wsdl}`, real, wsdl];
        const files: Record<string, string> = {};
        for (const f of javaFiles(out)) {
          let text = readFileSync(path.join(out, f), 'utf8');
          for (const l of locations) text = text.split(l).join('WSDL');
          files[f] = createHash('sha256').update(text.split('\n').sort().join('\n')).digest('hex');
        }
        resolve({ files });
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  });
}

maybe('JAX-WS wsimport on the imported corpus', () => {
  const corpus = useImportedCorpus(sets);

  test('generates the same Java from the bridge as from the files', async () => {
    const base = corpus().bridge.urls.http!;
    let classes = 0;
    const { compared, cannot, differences } = await compareFilesAndBridge(sets, base, wsimport, (d, b) => {
      classes += Object.keys(d.files).length;
      const names = (v: JavaView): string => Object.keys(v.files).sort().join(' ');
      if (names(b) !== names(d)) return ['other files generated'];
      return Object.keys(d.files)
        .filter((f) => b.files[f] !== d.files[f])
        .map((f) => `${f} differs`);
    });
    // Printed so a CI log shows what was covered.
    console.log(`wsimport compared ${compared.length} sets (${classes} generated classes); it refuses ${cannot.length} from the files:\n  ${cannot.join('\n  ')}`);
    expect(differences).toEqual([]);
    expect(compared.length).toBeGreaterThanOrEqual(25);
    expect(classes).toBeGreaterThanOrEqual(5000);
  }, 600_000);
});
