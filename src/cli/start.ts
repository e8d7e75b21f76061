import { parseArgs } from 'node:util';
import { loadConfig, DEFAULT_CONFIG_FILE } from '../config/load';
import { ConfigError, formatProblem } from '../config/problems';
import { startBridge } from '../main';
import { isPrimary, runPrimary } from './workers';

export async function runStart(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string', short: 'c', default: DEFAULT_CONFIG_FILE }, workers: { type: 'string', short: 'w', default: '1' } },
    strict: true,
  });
  let config;
  try {
    config = loadConfig(values.config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) process.stderr.write(formatProblem(p) + '\n');
    process.stderr.write('soapbridge: refusing to start on an invalid configuration\n');
    return 1;
  }
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    process.stderr.write(`soapbridge: --workers expects a whole number from 1 to 64, got "${values.workers}"\n`);
    return 2;
  }
  // The primary validates first (above) so a bad config fails once, not once per worker.
  if (workers > 1 && isPrimary()) return runPrimary(workers);
  const bridge = await startBridge(config, { watch: true });
  return new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      process.stderr.write(`soapbridge: ${signal} received, draining requests in flight\n`);
      bridge.close().then(
        () => {
          // A cluster worker's IPC channel would keep it alive after everything else closed.
          if (process.connected && process.send) process.disconnect();
          resolve(0);
        },
        () => resolve(1),
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    // Re-read the files on demand, as nginx and haproxy do: for file systems whose changes a
    // watcher never sees (NFS, some container bind mounts). Without a listener SIGHUP would end
    // the process without draining.
    process.on('SIGHUP', () => void bridge.reload('SIGHUP'));
  });
}
