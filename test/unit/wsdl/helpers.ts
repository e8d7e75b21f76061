import * as path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/wsdl');
/** The shared corpus lives beside the project root (always present in CI). */
export const CORPUS = path.resolve(__dirname, '../../../../shared/wsdl-corpus');

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}
