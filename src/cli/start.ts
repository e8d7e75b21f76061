import { parseArgs } from 'node:util';
import { loadConfig, DEFAULT_CONFIG_FILE } from '../config/load';
import { ConfigError, formatProblem } from '../config/problems';
import { startBridge } from '../main';

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
  if (values.workers !== '1') process.stderr.write('soapbridge: --workers > 1 is not implemented yet; starting one worker\n');
  const bridge = await startBridge(config, { watch: true });
  return new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      process.stderr.write(`soapbridge: ${signal} received, draining requests in flight\n`);
      bridge.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
