import * as path from 'node:path';
import { compileModel, loadBundle, WsdlImportError, type WsdlModel } from '../../src/wsdl';
import { CORPUS } from '../unit/wsdl/helpers';

/** A few real-world sets from ../shared/wsdl-corpus (always present in CI). */
async function importSet(set: string, entry: string): Promise<WsdlModel> {
  return compileModel(await loadBundle(path.join(CORPUS, set, entry), { remoteImports: 'skip' }));
}

describe('real-world corpus sets', () => {
  it('imports the public Calculator (SOAP 1.1 + 1.2, wrapped)', async () => {
    const m = await importSet('postman-calculator', 'calculator-soap11and12.wsdl');
    expect(m.operations).toHaveLength(8);
    expect(new Set(m.operations.map((o) => o.soapVersion))).toEqual(new Set(['1.1', '1.2']));
    expect(m.operations.every((o) => o.wrapped)).toBe(true);
  });

  it('imports Travelport Air through wsdl:import and shared schemas in sibling folders', async () => {
    const m = await importSet('travelport-air', 'air_v52_0/Air.wsdl');
    expect(m.services.reduce((n, s) => n + s.ports.length, 0)).toBe(27);
  });

  it('resolves imports through the JAX-WS XML catalog', async () => {
    const m = await importSet('cxf-catalog-resolved-imports', 'wsdl/catalog/hello_world_services.wsdl');
    expect(m.operations.length).toBeGreaterThan(0);
  });

  it('unwraps a WS-MetadataExchange response', async () => {
    const m = await importSet('cxf-wcf-mex-response', 'wcf.wsdl');
    expect(m.services[0]?.ports).toHaveLength(14);
  });

  it('imports the 3 MB e-conomic WSDL', async () => {
    const m = await importSet('wasabi-economic', 'economic.wsdl');
    expect(m.operations).toHaveLength(3022);
  });

  it('imports WSDL 2.0: Imposter PetService (SOAP 1.2 + HTTP bindings, imported schema)', async () => {
    const m = await importSet('imposter-wsdl2-soap12', 'service.wsdl');
    expect(m.wsdlVersion).toBe('2.0');
    expect(m.services[0]?.ports.map((p) => [p.name, p.protocol, p.soapVersion, p.address])).toEqual([
      ['HttpEndpoint', 'http', null, 'http://www.example.com/http/'],
      ['SoapEndpoint', 'soap', '1.2', 'http://www.example.com/soap/'],
    ]);
    expect(m.operations.map((o) => [o.port, o.name, o.soapVersion, o.soapAction, o.inputElement, o.outputElement])).toEqual([
      ['SoapEndpoint', 'getPetById', '1.2', 'getPetById', '{urn:com:example:petstore}getPetByIdRequest', '{urn:com:example:petstore}getPetByIdResponse'],
      ['SoapEndpoint', 'getPetByName', '1.2', 'getPetByName', '{urn:com:example:petstore}getPetByNameRequest', '{urn:com:example:petstore}getPetByNameResponse'],
    ]);
    expect(m.operations[1]?.faults.map((f) => f.parts[0]?.element)).toEqual(['{urn:com:example:petstore}getPetFault']);
  });

  it('imports the Axis2 WSDL 2.0 hotel reservation, whose binding type is a 2004 draft URI, as SOAP 1.2', async () => {
    const m = await importSet('axis2-hotel-reservation-wsdl20', 'HotelReservationService.wsdl');
    expect(m.operations.map((o) => [o.port, o.name, o.soapVersion, o.address])).toEqual([['reservationEndpoint', 'opCheckAvailability', '1.2', 'http://greath.example.com/2004/reservation']]);
    expect(m.unsupported.map((u) => u.construct)).toEqual([expect.stringMatching(/^WSDL 2\.0 draft SOAP binding type "http:\/\/www\.w3\.org\/2004\/08\/wsdl\/soap12"/)]);
  });

  it.each([
    ['nodesoap-missing-message', 'missing_message_definition.wsdl', /references unknown message/],
    ['savon-no-message-tag', 'no_message_tag.xml', /XML declaration must be at the start/],
    ['wasabi-juniper', 'juniper.wsdl', /whose schema import was not found/],
    ['postman-no-bindings-tag', 'NoBindingsTag.wsdl', /references unknown binding/],
  ])('refuses broken set %s with a clear message', async (set, entry, reason) => {
    await expect(importSet(set, entry)).rejects.toThrow(WsdlImportError);
    await expect(importSet(set, entry)).rejects.toThrow(reason);
  });
});
