/**
 * The REST facade of a SOAP API: schema-driven JSON ↔ SOAP mapping (see README.md in this folder
 * for the JSON convention).
 *
 * @example
 *   const facade = buildFacade(model, { faultStatus: { client: 422 } });
 *   const op = facade.find('add');
 *   const envelope = op?.toEnvelope({ intA: 1, intB: 2 });
 */
export { buildFacade, segmentOf, type Facade, type FacadeOperation, type FacadeOptions, type FacadeResponse } from './facade';
export { sampleInput, sampleOutput } from './sample';
export type { MessageShape, PartSlot } from './message-shape';
export type { JsonValue, JsonObject } from './json';
