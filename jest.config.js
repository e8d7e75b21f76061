/**
 * Tests run on the TypeScript sources; `npm test` type-checks the whole tree first with tsc.
 * `npm test` needs nothing outside the repo; test/corpus/ reads ../shared/wsdl-corpus and runs
 * with `npm run test:corpus` (after `npm run corpus` in .ci/run).
 */
const corpus = process.env.SOAPBRIDGE_CORPUS_TESTS === '1';
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: corpus ? ['<rootDir>/test/corpus/**/*.test.ts'] : ['**/*.test.ts'],
  testPathIgnorePatterns: corpus ? ['/node_modules/'] : ['/node_modules/', '<rootDir>/test/corpus/'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  testTimeout: 30000,
};
