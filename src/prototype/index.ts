import type { Logger } from 'pino';
import type { PrototypeConfig } from '../config/endpoint-schema';
import type { Endpoint } from '../endpoints/endpoint';
import type { WsdlModel } from '../wsdl/model';
import { PrototypeEndpoint } from './prototype-endpoint';

/**
 * A `prototype` endpoint: static responses, responses generated from the WSDL's XSD (SOAP
 * operations, `?responseCode=` picks a Fault) and inline JavaScript implementations run in a
 * QuickJS sandbox on worker threads. Serve it only for CREATED/PROTOTYPED APIs (the caller's job).
 *
 * @example
 *   const ep = createPrototypeEndpoint(
 *     { type: 'prototype', responses: { 'GET /cities/{city}': { status: 200, body: { temp: 21 } } },
 *       implementations: { 'POST /echo': "mc.setPayloadJSON({ got: mc.getPayloadJSON() })" } },
 *     { name: 'weather-prototype', log },
 *   );
 *   await ep.send(req, ctx);   // … and ep.close() on reload/shutdown (stops the sandbox workers)
 */
export function createPrototypeEndpoint(cfg: PrototypeConfig, deps: { name: string; model?: WsdlModel; log: Logger }): Endpoint {
  return new PrototypeEndpoint(deps.name, cfg, deps.model, deps.log);
}

export { PrototypeEndpoint } from './prototype-endpoint';
export { MockResponder, envelope } from './generated/mock-response';
export { SampleXml } from './generated/sample-xml';
export { runScript, DEFAULT_SCRIPT_LIMITS, type ScriptLimits, type ScriptInput, type ScriptOutput, type ScriptOutcome } from './sandbox/run-script';
