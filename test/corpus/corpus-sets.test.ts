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
