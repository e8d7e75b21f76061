import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/wsdl');
/** The shared corpus lives beside the project root (always present in CI). */
export const CORPUS = path.resolve(__dirname, '../../../../shared/wsdl-corpus');

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

/**
 * A fresh copy of fixture folder `name` for each test (the model cache writes beside the WSDL):
 * call in a describe block; the returned function gives the current test's folder.
 */
export function useFixtureCopy(name: string, prefix: string): () => string {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    cpSync(fixture(name), dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}
