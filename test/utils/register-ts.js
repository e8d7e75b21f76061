'use strict';
/**
 * Lets a plain Node process or worker thread require the TypeScript sources: each .ts file is
 * transpiled on require (no type check: `npm test` runs tsc first). Used by child-bridge.js (the
 * CLI in a child process) and by worker threads started from the sources under ts-jest
 * (src/threads/module-worker.ts).
 *
 * Transpiled output is cached by content hash in node_modules/.cache (beside the compiler, as
 * babel and others do, not in a shared temp folder): loading the compiler alone takes about half a
 * second, transpiling the tree seconds, and a test run starts dozens of processes and threads.
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { threadId } = require('node:worker_threads');

const CACHE = path.join(path.dirname(require.resolve('typescript/package.json')), '..', '.cache', 'soapbridge-ts');
let ts;

if (!require.extensions['.ts']) {
  require.extensions['.ts'] = (module, filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    const cached = path.join(CACHE, crypto.createHash('sha256').update(filename).update('\0').update(source).digest('hex') + '.js');
    let code;
    try {
      code = fs.readFileSync(cached, 'utf8');
    } catch {
      ts ??= require('typescript');
      code = ts.transpileModule(source, {
        fileName: filename,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText;
      try {
        fs.mkdirSync(CACHE, { recursive: true });
        const tmp = `${cached}.${process.pid}.${threadId}.tmp`;
        fs.writeFileSync(tmp, code);
        fs.renameSync(tmp, cached);
      } catch {
        // A read-only cache only costs the next process a transpile.
      }
    }
    module._compile(code, filename);
  };
}
