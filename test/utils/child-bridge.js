'use strict';
/**
 * Runs the soapbridge CLI from the TypeScript sources in a child process, the way
 * bin/soapbridge.js runs dist/: integration tests need a real process (RSS sampling, SIGTERM)
 * without depending on a fresh `npm run build`. Each .ts file is transpiled on require
 * (no type check: `npm test` runs tsc first).
 *
 *   node test/utils/child-bridge.js start --config /tmp/x/soapbridge.yaml
 */
const path = require('node:path');

require('./register-ts');

require(path.join(__dirname, '../../src/cli/index.ts')).main(process.argv.slice(2)).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.message : err); process.exitCode = 1; },
);
