import path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/*
 * In production a worker loads the compiled .js module. Under ts-jest the sources are .ts files
 * that a plain worker cannot require, so the bootstrap registers a transpile-only loader first
 * (typescript is a dev dependency, present whenever .ts sources are run). Transpiled output is
 * kept in the temp folder by content hash: loading the typescript compiler costs a worker about
 * half a second, and a test run starts dozens of workers on the same unchanged sources.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.entry.endsWith('.ts')) {
  const fs = require('node:fs');
  const path = require('node:path');
  const crypto = require('node:crypto');
  // Beside the compiler (node_modules/.cache, as babel and others do), not in a shared temp folder.
  const cacheDir = path.join(path.dirname(require.resolve('typescript/package.json')), '..', '.cache', 'soapbridge-worker-ts');
  let ts;
  require.extensions['.ts'] = function (m, file) {
    const source = fs.readFileSync(file, 'utf8');
    const cached = path.join(cacheDir, crypto.createHash('sha256').update(file + '\\0' + source).digest('hex') + '.js');
    let out;
    try {
      out = fs.readFileSync(cached, 'utf8');
    } catch {
      ts ??= require('typescript');
      out = ts.transpileModule(source, {
        fileName: file,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText;
      try {
        fs.mkdirSync(cacheDir, { recursive: true });
        const tmp = cached + '.' + process.pid + '.' + require('node:worker_threads').threadId + '.tmp';
        fs.writeFileSync(tmp, out);
        fs.renameSync(tmp, cached);
      } catch {}
    }
    m._compile(out, file);
  };
}
require(workerData.entry);
`;

/**
 * The module `name` (no extension) in `dir`, as a worker can load it: `.js` next to compiled code,
 * `.ts` when the caller itself runs from sources (ts-jest).
 *
 * @example moduleEntry(__dirname, __filename, 'script-worker')
 */
export function moduleEntry(dir: string, callerFile: string, name: string): string {
  return path.join(dir, `${name}${path.extname(callerFile)}`);
}

/** A worker thread running the module `entry` (from moduleEntry); its parentPort is the channel. */
export function startModuleWorker(entry: string, opts: Omit<WorkerOptions, 'eval' | 'workerData'> = {}): Worker {
  return new Worker(BOOTSTRAP, { ...opts, eval: true, workerData: { entry } });
}
