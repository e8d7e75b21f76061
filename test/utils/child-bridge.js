'use strict';
/**
 * Runs the soapbridge CLI from the TypeScript sources in a child process, the way
 * bin/soapbridge.js runs dist/: integration tests need a real process (RSS sampling, SIGTERM)
 * without depending on a fresh `npm run build`. Each .ts file is transpiled on require
 * (no type check: `npm test` runs tsc first).
 *
 *   node test/utils/child-bridge.js start --config /tmp/x/soapbridge.yaml
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

// Transpiled output is cached by content hash: transpiling the whole tree takes seconds on a
// small machine, and every child-process test would pay it again.
const CACHE = path.join(os.tmpdir(), 'soapbridge-test-ts-cache');
fs.mkdirSync(CACHE, { recursive: true });
let ts;

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const cached = path.join(CACHE, crypto.createHash('sha1').update(filename).update('\0').update(source).digest('hex') + '.js');
  let code;
  try {
    code = fs.readFileSync(cached, 'utf8');
  } catch {
    ts ??= require('typescript');
    code = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    const tmp = `${cached}.${process.pid}`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, cached);
  }
  module._compile(code, filename);
};

require(path.join(__dirname, '../../src/cli/index.ts')).main(process.argv.slice(2)).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.message : err); process.exitCode = 1; },
);
