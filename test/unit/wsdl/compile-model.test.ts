import { compileModel, loadBundle, summarize, WsdlImportError, type ComplexType, type WsdlModel } from '../../../src/wsdl';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { wsdl } from '../../fixtures/import/wsdl-gen';
import { fixture } from './helpers';

async function compile(...p: string[]): Promise<WsdlModel> {
  return compileModel(await loadBundle(fixture(...p)));
}

async function refusal(...p: string[]): Promise<WsdlImportError> {
  try {
    await compile(...p);
  } catch (e) {
    if (e instanceof WsdlImportError) return e;
    throw e;
  }
  throw new Error('expected a WsdlImportError');
}

describe('compileModel', () => {
  it('models a doc/literal wrapped Calculator with SOAP 1.1 and 1.2 ports', async () => {
    const m = await compile('calculator', 'Calculator.wsdl');
    expect(m.services).toEqual([
      {
        name: '{http://tempuri.org/}Calculator',
        ports: [
          { name: 'CalculatorSoap', binding: '{http://tempuri.org/}CalculatorSoap', address: 'http://www.dneonline.com/calculator.asmx', protocol: 'soap', soapVersion: '1.1' },
          { name: 'CalculatorSoap12', binding: '{http://tempuri.org/}CalculatorSoap12', address: 'http://www.dneonline.com/calculator.asmx?a=1&b=2', protocol: 'soap', soapVersion: '1.2' },
        ],
      },
    ]);
    const add = m.operations.filter((o) => o.name === 'Add');
    expect(add.map((o) => [o.port, o.soapVersion, o.soapAction, o.wrapped, o.inputElement, o.outputElement])).toEqual([
      ['CalculatorSoap', '1.1', 'http://tempuri.org/Add', true, '{http://tempuri.org/}Add', '{http://tempuri.org/}AddResponse'],
      ['CalculatorSoap12', '1.2', 'http://tempuri.org/Add', true, '{http://tempuri.org/}Add', '{http://tempuri.org/}AddResponse'],
    ]);
    const reset = m.operations.find((o) => o.name === 'Reset');
    expect(reset?.pattern).toBe('one-way');
    expect(reset?.wrapped).toBe(false); // element History is not named like the operation
    expect(reset?.output).toBeNull();

    const entry = m.schema.types['{http://tempuri.org/}Entry'] as ComplexType;
    expect(entry.attributes).toEqual([expect.objectContaining({ kind: 'attribute', name: '{}id', use: 'required', type: '{http://www.w3.org/2001/XMLSchema}string' })]);
    const history = m.schema.elements['{http://tempuri.org/}History']?.typeDef as ComplexType;
    expect(history.content).toEqual({
      kind: 'particle',
      particle: { kind: 'sequence', minOccurs: 1, maxOccurs: 1, particles: [expect.objectContaining({ kind: 'element', name: '{http://tempuri.org/}entry', minOccurs: 0, maxOccurs: -1, nillable: true, form: 'qualified', type: '{http://tempuri.org/}Entry' })] },
    });
    expect(m.schema.types['{http://tempuri.org/}Op']).toEqual(expect.objectContaining({ variety: 'atomic', facets: { enumeration: ['add', 'subtract'] } }));
    expect(m.unsupported).toEqual([]);
    // Plain data: survives a JSON round trip unchanged (that is what the cache stores).
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });

  it('models rpc/encoded with soapenc:Array and the rpc namespace', async () => {
    const m = await compile('rpc-encoded', 'Echo.wsdl');
    const [op] = m.operations;
    expect(op).toEqual(expect.objectContaining({ name: 'echo', style: 'rpc', use: 'encoded', wrapped: false, soapAction: 'urn:echo#echo', inputElement: null }));
    expect(op?.input?.namespace).toBe('urn:echo:rpc');
    expect(op?.input?.body.map((p) => [p.name, p.type])).toEqual([
      ['words', '{urn:echo}ArrayOfString'],
      ['times', '{http://www.w3.org/2001/XMLSchema}int'],
    ]);
    const arr = m.schema.types['{urn:echo}ArrayOfString'] as ComplexType;
    expect(arr.soapArray).toEqual({ itemType: '{http://www.w3.org/2001/XMLSchema}string', dimensions: '[]' });
    expect(m.portTypes[0]?.operations[0]?.parameterOrder).toEqual(['words', 'times']);
  });

  it('resolves a multi-file bundle: prefixes per document, chameleon include, headers, faults', async () => {
    const m = await compile('multi', 'main.wsdl');
    const [op] = m.operations;
    expect(op?.binding).toBe('{urn:orders:concrete}OrderBinding');
    expect(op?.input?.body.map((p) => p.element)).toEqual(['{urn:orders:types}Order']);
    expect(op?.input?.headers).toEqual([{ name: 'auth', element: '{urn:orders:types}Auth', type: null, message: '{urn:orders:abstract}PlaceOrderRequest' }]);
    expect(op?.inputElement).toBe('{urn:orders:types}Order');
    expect(op?.faults.map((f) => f.name)).toEqual(['OrderFault']);
    // chameleon.xsd has no targetNamespace: its components join urn:orders:types, refs too.
    expect(m.schema.types['{urn:orders:types}Sku']).toEqual(expect.objectContaining({ facets: { pattern: ['[A-Z]{3}-[0-9]+'], maxLength: 20 } }));
    const line = m.schema.types['{urn:orders:types}Line'] as ComplexType;
    expect(JSON.stringify(line.content)).toContain('"type":"{urn:orders:types}Sku"');
    const order = m.schema.elements['{urn:orders:types}Order']?.typeDef as ComplexType;
    expect(order.content.kind).toBe('extension');
    expect(order.attributes).toEqual([{ kind: 'attributeGroupRef', ref: '{urn:orders:common}Audit' }]);
    expect(m.schema.attributeGroups['{urn:orders:common}Audit']?.anyAttribute).toEqual({ namespace: '##other', processContents: 'strict' });
    expect(m.schema.namespaces['urn:orders:types']).toEqual({ elementFormDefault: 'qualified', attributeFormDefault: 'unqualified' });
    expect(m.unsupported).toEqual([]);
  });

  it('keys each operation by its name, qualified by its portType only where portTypes share the name', async () => {
    const rows = (await compile('shared-names', 'Travel.wsdl')).operations.map((o) => [o.port, o.name, o.key]);
    expect(rows).toEqual([
      ['RepricePort', 'service', 'RepricePortType.service'],
      ['RepricePort12', 'service', 'RepricePortType.service'],
      ['FlightInfoPort', 'service', 'FlightInfoPortType.service'],
    ]);
    expect(summarize(await compile('shared-names', 'Travel.wsdl'))).toContain('operations of several portTypes share a name, so each is named PortType.name (2): RepricePortType.service, FlightInfoPortType.service');
    expect(summarize(await compile('calculator', 'Calculator.wsdl'))).not.toContain('PortType.name');
    // Names no other portType uses stay as they are (the Calculator is bound twice, one portType).
    for (const o of (await compile('calculator', 'Calculator.wsdl')).operations) expect(o.key).toBe(o.name);
  });

  it('refuses a dangling reference naming file and names', async () => {
    const e = await refusal('bad', 'broken-ref.wsdl');
    expect(e.message).toBe('broken-ref.wsdl: binding "OrderBinding" references unknown portType "{urn:orders}Missing"');
  });

  it('imports a WSDL 2.0 interface without bindings or services as a portType with no operations rows', async () => {
    const m = await compile('bad', 'wsdl20.wsdl');
    expect(m.wsdlVersion).toBe('2.0');
    expect(m.portTypes).toEqual([{ name: '{urn:x}I', operations: [] }]);
    expect(m.operations).toEqual([]);
  });

  it('summarizes services, ports, operations and SOAP versions', async () => {
    const text = summarize(await compile('calculator', 'Calculator.wsdl'));
    expect(text).toContain('services: 1, ports: 2, operations: 4, SOAP versions: 1.1, 1.2');
    expect(text).toContain('Calculator/CalculatorSoap12 [SOAP 1.2] http://www.dneonline.com/calculator.asmx?a=1&b=2: 2 operations');
  });

  it('groups unsupported constructs by all but their namespaces, keeping which name each is about', async () => {
    const m = await compile('calculator', 'Calculator.wsdl');
    const text = summarize({
      ...m,
      unsupported: [
        { construct: 'portType "P" operation "o" fault "f" references unknown message "{urn:a}Missing" (ignored)', where: 'a.wsdl' },
        { construct: 'unresolved type reference {urn:a}T1', where: 'a.xsd:3' },
        { construct: 'unresolved type reference {urn:b}T1', where: 'b.xsd:4' },
        { construct: 'unresolved type reference {urn:a}T2', where: 'a.xsd:9' },
      ],
    });
    expect(text.split('\n').slice(-4)).toEqual([
      'unsupported constructs (4):',
      '  portType "P" operation "o" fault "f" references unknown message "{…}Missing" (ignored) (first at a.wsdl)',
      '  unresolved type reference {…}T1 ×2 (first at a.xsd:3)',
      '  unresolved type reference {…}T2 (first at a.xsd:9)',
    ]);
  });
});

describe('substitution groups in the import report', () => {
  it('names a head used directly as a message part, which the facade maps as the head only', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'subst-'));
    try {
      const types = `<xs:schema targetNamespace="urn:t" elementFormDefault="qualified"><xs:element name="Ping" type="xs:string"/><xs:element name="Pong" type="xs:string" substitutionGroup="tns:Ping"/></xs:schema>`;
      writeFileSync(path.join(dir, 's.wsdl'), wsdl({ types }));
      const m = compileModel(await loadBundle(path.join(dir, 's.wsdl')));
      expect(m.unsupported.filter((u) => u.construct.includes('substitutionGroup'))).toEqual([
        { construct: 'xs:substitutionGroup head as a message part (the REST facade maps the head element only there)', where: 'message PingIn part parameters: head Ping: members Pong' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says nothing about heads referenced inside content, where the facade offers the members', async () => {
    const m = await compile('substitution-groups', 'Finder.wsdl');
    expect(m.unsupported.filter((u) => u.construct.includes('substitutionGroup'))).toEqual([]);
  });
});
