import { spawnSync } from 'node:child_process';
import { processJson } from './json-process';

/** PHP's command line (Debian php-cli; CI installs it with php-soap). */
export const PHP = 'php';

/**
 * `describe`, or `describe.skip` with a warning, when PHP or its SoapClient (php-soap) is missing.
 */
export function describeWithPhpSoap(file: string): jest.Describe {
  if (spawnSync(PHP, ['-r', 'exit(class_exists("SoapClient") ? 0 : 1);'], { stdio: 'ignore' }).status === 0) return describe;
  console.warn(`SKIPPED ${file}: "php" with SoapClient is missing (install the php-cli and php-soap Debian packages)`);
  return describe.skip;
}

/** Runs a PHP script that prints one JSON value (see processJson: a crash resolves `{ error }`). */
export function phpJson<T extends object>(script: string, args: string[], timeoutMs: number): Promise<T | { error: string }> {
  return processJson<T>(PHP, [script, ...args], timeoutMs);
}
