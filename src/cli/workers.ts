import cluster, { type Worker } from 'node:cluster';

/**
 * `--workers N`: N processes serve one port (node:cluster hands connections out). Config
 * changes reach every worker because each one watches the config files; admin writes go to
 * the files first. A worker that dies is replaced (with a short back-off so a crash loop does
 * not spin); SIGTERM/SIGINT are forwarded and the primary exits when all workers have.
 */
export function runPrimary(workers: number): Promise<number> {
  let stopping = false;
  let recentDeaths: number[] = [];
  const fork = (): Worker => cluster.fork();
  for (let i = 0; i < workers; i++) fork();
  return new Promise((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve(0);
        return;
      }
      const now = Date.now();
      recentDeaths = [...recentDeaths.filter((t) => now - t < 10_000), now];
      const delay = recentDeaths.length > workers * 3 ? 2000 : 0;
      process.stderr.write(`soapbridge: worker ${worker.process.pid} exited (${signal ?? code}); starting a replacement${delay ? ` in ${delay} ms` : ''}\n`);
      setTimeout(fork, delay);
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
  });
}

export const isPrimary = (): boolean => cluster.isPrimary;
