import { execFile, spawnSync } from 'node:child_process';

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

/**
 * Runs a PHP script that prints one JSON value, and resolves with it; a script that ends without
 * one (PHP 8.2 crashes on some schemas) resolves `{ error }` saying how it ended.
 */
export function phpJson<T extends object>(script: string, args: string[], timeoutMs: number): Promise<T | { error: string }> {
  return new Promise((resolve) => {
    execFile(PHP, [script, ...args], { timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout) as T);
      } catch {
        resolve({ error: `PHP ended without an answer (${err?.signal ?? err?.code ?? 'no error'}) ${stderr.slice(0, 200)}` });
      }
    });
  });
}
