import { serveOneJob } from '../threads/run-in-worker';
import { compileJobToBytes, type CompileJob } from './cache';

/** Body of the worker thread importCompiledOffThread starts: one compile, the cache entry's bytes posted back. */
serveOneJob((job: CompileJob) => compileJobToBytes(job));
