import { parseArgs } from 'node:util';
import { loadConfig, DEFAULT_CONFIG_FILE } from '../config/load';
import { ConfigError, formatProblem } from '../config/problems';

export async function runValidate(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string', short: 'c', default: DEFAULT_CONFIG_FILE } }, strict: true });
  try {
    const cfg = loadConfig(values.config);
    process.stdout.write(`${cfg.file}: OK (${cfg.apis.length} API${cfg.apis.length === 1 ? '' : 's'}: ${cfg.apis.map((a) => a.config.name).join(', ')})\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) process.stderr.write(formatProblem(p) + '\n');
    process.stderr.write(`${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} found\n`);
    return 1;
  }
}
