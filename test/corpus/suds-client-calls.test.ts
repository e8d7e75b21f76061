import * as path from 'node:path';
import { describeClientCalls } from './client-calls';
import { SUDS_NEVER_RETURNS } from './suds';
import { describeWithPython } from '../interop/python';

/**
 * Real client envelopes, python suds: it writes its own envelopes (ns0/ns1 prefixes, a quoted
 * SOAPAction, its rpc wrappers and xsi:type encodings); see describeClientCalls. The largest set
 * takes suds ≈ 2 s, hence the 20 s.
 */
describeClientCalls(describeWithPython('suds', __filename), {
  client: 'suds',
  script: path.join(__dirname, 'suds_call_all.py'),
  timeoutMs: 20_000,
  skip: SUDS_NEVER_RETURNS,
});
