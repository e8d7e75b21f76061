import path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/*
 * In production a worker loads the compiled .js module. Under ts-jest the sources are .ts files
 * that a plain worker cannot require, so the bootstrap first loads the repository's test loader
 * (test/utils/register-ts.js, also used for the CLI in child processes), which transpiles them.
 * That path is only taken when the caller itself runs from the sources.
 */
const TS_LOADER = path.resolve(__dirname, '..', '..', 'test', 'utils', 'register-ts.js');
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.entry.endsWith('.ts')) require(workerData.tsLoader);
require(workerData.entry);
`;

/**
 * The module `name` (no extension) in `dir`, as a worker can load it: `.js` next to compiled code,
 * `.ts` when the caller itself runs from sources (ts-jest).
 *
 * @example moduleEntry(__dirname, __filename, 'script-worker')
 */
export function moduleEntry(dir: string, callerFile: string, name: string): string {
  return path.join(dir, `${name}${path.extname(callerFile)}`);
}

/** A worker thread running the module `entry` (from moduleEntry); its parentPort is the channel. */
export function startModuleWorker(entry: string, opts: Omit<WorkerOptions, 'eval' | 'workerData'> = {}): Worker {
  return new Worker(BOOTSTRAP, { ...opts, eval: true, workerData: { entry, tsLoader: TS_LOADER } });
}
