import { execFile } from 'node:child_process';

/**
 * Runs a client script (PHP, python) that prints one JSON value, and resolves with it; a script
 * that ends without one (PHP 8.2 crashes on some schemas, suds may recurse too deep) resolves
 * `{ error }` saying how it ended, so one WSDL's crash is that WSDL's outcome only.
 */
export function processJson<T extends object>(command: string, args: string[], timeoutMs: number): Promise<T | { error: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout) as T);
      } catch {
        resolve({ error: `${command} ended without an answer (${err?.signal ?? err?.code ?? 'no error'}) ${stderr.slice(-300)}` });
      }
    });
  });
}

/** `run` over every job, two at a time (the machines have two cores), results in job order. */
export async function twoAtATime<J, R>(jobs: readonly J[], run: (job: J) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await run(jobs[i]!);
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}
