import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { BridgeError } from '../../../src/errors/bridge-error';
import { moduleEntry } from '../../../src/threads/module-worker';
import { runInWorker } from '../../../src/threads/run-in-worker';
import { WsdlImportError } from '../../../src/wsdl/errors';
import type { ProbeJob } from '../../fixtures/workers/probe-worker';

const PROBE = moduleEntry(path.join(__dirname, '../../fixtures/workers'), __filename, 'probe-worker');
const run = <R>(job: ProbeJob, onProgress?: (m: string) => void): Promise<R> => runInWorker<ProbeJob, R>(PROBE, job, { onProgress });

describe('runInWorker', () => {
  it('runs the job on another thread and relays its progress', async () => {
    expect(await run<number>('thread')).not.toBe(threadId);
    const seen: string[] = [];
    expect(await run<string>('progress', (m) => seen.push(m))).toBe('done');
    expect(seen).toEqual(['one', 'two']);
  });

  it('brings errors back as the classes the caller renders', async () => {
    const wsdl = await run('wsdl-error').catch((e: unknown) => e);
    expect(wsdl).toBeInstanceOf(WsdlImportError);
    expect(wsdl).toMatchObject({ file: 'orders.wsdl', reason: 'line 3: unknown message' });
    const bridge = await run('bridge-error').catch((e: unknown) => e);
    expect(bridge).toBeInstanceOf(BridgeError);
    expect(bridge).toMatchObject({ code: 'BAD_REQUEST', status: 409, message: 'API "x" already exists' });
    await expect(run('type-error')).rejects.toThrow('boom');
  });

  it('queues jobs beyond its thread limit and answers every one, failures included', async () => {
    const jobs: ProbeJob[] = ['thread', 'exit', 'progress', 'wsdl-error', 'thread', 'progress', 'exit', 'thread'];
    const outcomes = await Promise.allSettled(jobs.map((j) => run(j)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  });

  it('ends a job that outgrows its heap limit; the WSDL it worked on is refused, the process lives on', async () => {
    const oom = await runInWorker(PROBE, 'hog', { file: 'huge.wsdl', maxHeapMb: 32 }).catch((e: unknown) => e);
    expect(oom).toBeInstanceOf(WsdlImportError);
    expect(oom).toMatchObject({ file: 'huge.wsdl', reason: 'importing it needs more than the 32 MB of memory an import may use' });
    await expect(runInWorker(PROBE, 'hog', { maxHeapMb: 32 })).rejects.toThrow(/^worker thread failed: .*memory/);
    expect(await run<number>('thread')).not.toBe(threadId);
  });

  it('rejects when the thread ends without answering', async () => {
    await expect(run('exit')).rejects.toThrow('worker thread exited (code 3) before answering');
  });
});
