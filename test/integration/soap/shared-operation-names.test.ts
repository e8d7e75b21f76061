import path from 'node:path';
import { request } from 'undici';
import { envelope, metricValue, postSoap, soapHeaders, startSoapBridge, type SoapTestBridge } from '../../utils/soap-bridge';

/**
 * Travelport names the one operation of each of its portTypes "service" and gives them all one
 * SOAPAction. The bridge told them apart by name, so every request was taken for the first
 * portType's operation: a prototype answered a FlightInfo request with a Reprice response, and
 * metrics, rules and the REST facade (one `/service` path for all) saw one operation. Each is now
 * keyed `PortType.service` and found by its Body element.
 */
const WSDL = path.join(__dirname, '..', '..', 'fixtures', 'wsdl', 'shared-names', 'Travel.wsdl');
const ACTION = 'http://localhost:8080/kestrel/AirService';
const T = 'urn:example:travel:schema';

let bridge: SoapTestBridge;

beforeAll(async () => {
  bridge = await startSoapBridge({
    wsdl: WSDL,
    name: 'travel',
    backendUrl: 'http://127.0.0.1:9/unused',
    expose: { soap: true, rest: true },
    api: {
      state: 'PROTOTYPED',
      endpoints: {
        production: {
          type: 'prototype',
          // A static answer (sent as written) under the qualified key; the reprice operation answers generated XML.
          responses: { 'FlightInfoPortType.service': { body: envelope('1.1', `<FlightInfoRsp xmlns="${T}"><Gate>B12</Gate></FlightInfoRsp>`) } },
        },
      },
    },
  });
});

afterAll(async () => {
  await bridge.close();
});

const operationCount = (operation: string): Promise<number> =>
  metricValue(bridge.adminUrl, 'soapbridge_soap_operation_requests_total', { api: 'travel', operation });

test('SOAP: one shared action, each request answered as the operation its Body names, counted under its key', async () => {
  const flight = await postSoap(bridge.apiUrl, envelope('1.1', `<FlightInfoReq xmlns="${T}"><Flight>BA1</Flight></FlightInfoReq>`), soapHeaders('1.1', ACTION));
  expect(flight.status).toBe(200);
  expect(flight.body).toBe(envelope('1.1', `<FlightInfoRsp xmlns="${T}"><Gate>B12</Gate></FlightInfoRsp>`));
  const reprice = await postSoap(bridge.apiUrl, envelope('1.1', `<RepriceReq xmlns="${T}"><Fare>Y</Fare></RepriceReq>`), soapHeaders('1.1', ACTION));
  expect(reprice.status).toBe(200);
  expect(reprice.body).toMatch(/<ns\d*:RepriceRsp|<RepriceRsp/);
  expect(reprice.body).not.toContain('FlightInfoRsp');
  // The portType bound twice is one operation: SOAP 1.2 counts under the same key.
  const reprice12 = await postSoap(bridge.apiUrl, envelope('1.2', `<RepriceReq xmlns="${T}"><Fare>Y</Fare></RepriceReq>`), soapHeaders('1.2', ACTION));
  expect(reprice12.status).toBe(200);
  expect(reprice12.body).toContain('RepriceRsp');
  expect(await operationCount('FlightInfoPortType.service')).toBe(1);
  expect(await operationCount('RepricePortType.service')).toBe(2);
  expect(await operationCount('service')).toBe(0);
});

test('REST facade: a path per operation, named after the key; OpenAPI lists both', async () => {
  const flight = await request(`${bridge.apiUrl}/flightInfoPortType.service`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Flight: 'BA1' }) });
  expect(flight.statusCode).toBe(200);
  expect(await flight.body.json()).toEqual({ Gate: 'B12' });
  const reprice = await request(`${bridge.apiUrl}/repricePortType.service`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Fare: 'Y' }) });
  expect(reprice.statusCode).toBe(200);
  expect(Object.keys((await reprice.body.json()) as object)).toEqual(['Price']);
  const doc = (await (await request(`${bridge.apiUrl}/openapi.json`)).body.json()) as { paths: Record<string, unknown> };
  expect(Object.keys(doc.paths).sort()).toEqual(['/flightInfoPortType.service', '/repricePortType.service']);
});

test('the operations: config names them by key; a shared or unknown name is a config error naming the keys', async () => {
  const start = (operations: Record<string, unknown>): Promise<SoapTestBridge> =>
    startSoapBridge({ wsdl: WSDL, name: 'travel2', backendUrl: 'http://127.0.0.1:9/unused', api: { operations } });
  const ok = await start({ 'FlightInfoPortType.service': { idempotent: true } });
  await ok.close();
  await expect(start({ service: { idempotent: true } })).rejects.toThrow(
    /travel2\.yaml: operations\.service: several portTypes have an operation "service": name one of RepricePortType\.service, FlightInfoPortType\.service/,
  );
  await expect(start({ Reprice: { idempotent: true } })).rejects.toThrow(/operations\.Reprice: the WSDL has no operation "Reprice" \(its operations: RepricePortType\.service, FlightInfoPortType\.service\)/);
});
