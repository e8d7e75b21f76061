import cluster, { type Worker } from 'node:cluster';

/**
 * `--workers N`: N processes serve one port (node:cluster hands connections out). Config
 * changes reach every worker because each one watches the config files; admin writes go to
 * the files first. A worker that dies is replaced (with a short back-off so a crash loop does
 * not spin); SIGTERM/SIGINT are forwarded and the primary exits when all workers have; SIGHUP
 * is forwarded (each worker reloads).
 */
export function runPrimary(workers: number): Promise<number> {
  let stopping = false;
  let failedOnStop = false;
  let recentDeaths: number[] = [];
  const fork = (): Worker => cluster.fork();
  for (let i = 0; i < workers; i++) fork();
  return new Promise((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) {
        // The primary's exit code is what a supervisor sees: a worker that did not drain
        // cleanly must not be hidden behind a 0.
        if (code !== 0 || signal) {
          failedOnStop = true;
          process.stderr.write(`soapbridge: worker ${worker.process.pid} exited (${signal ?? code}) during shutdown\n`);
        }
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve(failedOnStop ? 1 : 0);
        return;
      }
      const now = Date.now();
      recentDeaths = [...recentDeaths.filter((t) => now - t < 10_000), now];
      const delay = recentDeaths.length > workers * 3 ? 2000 : 0;
      process.stderr.write(`soapbridge: worker ${worker.process.pid} exited (${signal ?? code}); starting a replacement${delay ? ` in ${delay} ms` : ''}\n`);
      // A stop during the back-off must not start a worker nobody will signal.
      setTimeout(() => stopping || fork(), delay);
    });
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`soapbridge: ${signal} received, stopping ${Object.keys(cluster.workers ?? {}).length} workers\n`);
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
      if (Object.keys(cluster.workers ?? {}).length === 0) resolve(0);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    // Every worker re-reads the files (see start.ts).
    process.on('SIGHUP', () => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGHUP');
    });
  });
}

export const isPrimary = (): boolean => cluster.isPrimary;
