import { serveOneJob } from '../threads/run-in-worker';
import { compileJobToJson, type CompileJob } from './cache';

/** Body of the worker thread importCompiledOffThread starts: one compile, its JSON posted back. */
serveOneJob((job: CompileJob) => compileJobToJson(job));
