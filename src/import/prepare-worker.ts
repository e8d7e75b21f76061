import { serveOneJob } from '../threads/run-in-worker';
import { prepareImport, type PrepareJob } from './import-api';

/** Body of the worker thread an admin-API import starts: prepareImport, progress posted back. */
serveOneJob((job: PrepareJob, progress) => prepareImport(job, progress));
