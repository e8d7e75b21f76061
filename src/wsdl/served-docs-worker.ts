import { serveOneJob } from '../threads/run-in-worker';
import { loadServedBundle } from './served-docs';

/** Body of the worker thread loadServedBundle starts: one WSDL's served documents. */
serveOneJob((wsdlFile: string) => loadServedBundle(wsdlFile));
