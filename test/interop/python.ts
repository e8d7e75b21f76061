import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** Debian's python, which sees python3-spyne / python3-zeep (the `python3` first on PATH may not). */
export const PYTHON = '/usr/bin/python3';

/**
 * `describe`, or `describe.skip` with a warning naming what is missing, when PYTHON cannot import
 * `modules` (e.g. 'spyne, lxml, zeep').
 */
export function describeWithPython(modules: string, file: string): jest.Describe {
  if (spawnSync(PYTHON, ['-c', `import ${modules}`], { stdio: 'ignore' }).status === 0) return describe;
  console.warn(`SKIPPED ${file}: "${PYTHON} -c 'import ${modules}'" failed (install the python3-* Debian packages)`);
  return describe.skip;
}

/** Starts a spyne service script of this folder and resolves with its base URL once it printed its port. */
export function startSpyne(script: string): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(PYTHON, [path.join(__dirname, script)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`spyne did not start in 15 s:\n${stderr}`)), 15_000);
    proc.once('exit', (code) => reject(new Error(`spyne exited (${code}):\n${stderr}`)));
    createInterface({ input: proc.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve({ proc, url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}/` });
    });
  });
}
