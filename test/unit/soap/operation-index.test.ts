import { OperationIndex } from '../../../src/soap/operation-index';
import type { Operation, WsdlModel } from '../../../src/wsdl/model';

const op = (name: string, soapAction: string, inputElement: string | null, over: Partial<Operation> = {}): Operation =>
  ({ name, key: name, soapAction, inputElement, soapVersion: '1.1', binding: '{urn:x}B', style: 'document', input: { namespace: null }, ...over }) as unknown as Operation;
const index = (...ops: Operation[]): OperationIndex => new OperationIndex({ operations: ops } as unknown as WsdlModel);
const name = (i: OperationIndex, action: string, element: string | null): string => i.resolve('1.1', action, element).name;
const key = (i: OperationIndex, action: string, element: string | null): string => i.resolve('1.1', action, element).key;

describe('OperationIndex', () => {
  it('takes the operation of a unique action, else of the Body element', () => {
    const i = index(op('Add', 'urn:add', '{urn:x}Add'), op('Sub', 'urn:sub', '{urn:x}Sub'));
    expect(name(i, 'urn:add', '{urn:x}Add')).toBe('Add');
    expect(name(i, '', '{urn:x}Sub')).toBe('Sub');
    expect(name(i, 'urn:unknown', '{urn:x}Sub')).toBe('Sub');
    // A unique action wins over the body (as before): the action is what the client asked for.
    expect(name(i, 'urn:add', '{urn:x}Sub')).toBe('Add');
  });

  it('an action every operation shares (SoftLayer, UPS Ship) is told apart by the Body element', () => {
    const i = index(op('ProcessShipment', 'urn:ship', '{urn:x}ShipmentRequest'), op('ProcessShipConfirm', 'urn:ship', '{urn:x}ShipConfirmRequest'), op('ProcessShipAccept', 'urn:ship', '{urn:x}ShipAcceptRequest'));
    expect(name(i, 'urn:ship', '{urn:x}ShipConfirmRequest')).toBe('ProcessShipConfirm');
    expect(name(i, 'urn:ship', '{urn:x}ShipAcceptRequest')).toBe('ProcessShipAccept');
    expect(name(i, '', '{urn:x}ShipAcceptRequest')).toBe('ProcessShipAccept');
    // A body none of them takes: still one of the action's operations, the first.
    expect(name(i, 'urn:ship', '{urn:x}Other')).toBe('ProcessShipment');
  });

  it('operations of several portTypes sharing a name and an action (Travelport: "service") are told apart by the Body element', () => {
    const service = (portType: string, element: string): Operation => op('service', 'http://localhost:8080/kestrel/AirService', element, { key: `${portType}.service`, binding: `{urn:x}${portType}Binding` });
    const i = index(service('AirRepriceSearchPortType', '{urn:air}AirRepriceReq'), service('FlightInfoPortType', '{urn:air}FlightInformationReq'), service('SeatMapPortType', '{urn:air}SeatMapReq'));
    expect(key(i, 'http://localhost:8080/kestrel/AirService', '{urn:air}FlightInformationReq')).toBe('FlightInfoPortType.service');
    expect(key(i, 'http://localhost:8080/kestrel/AirService', '{urn:air}SeatMapReq')).toBe('SeatMapPortType.service');
    expect(key(i, '', '{urn:air}AirRepriceReq')).toBe('AirRepriceSearchPortType.service');
    expect(i.operations.map((o) => o.key)).toEqual(['AirRepriceSearchPortType.service', 'FlightInfoPortType.service', 'SeatMapPortType.service']);
    // One portType operation bound twice (two bindings, one key) stays one operation.
    const twice = index(op('Add', 'urn:add', '{urn:x}Add'), op('Add', 'urn:add', '{urn:x}Add', { binding: '{urn:x}B2' }), op('Sub', 'urn:add', '{urn:x}Sub'));
    expect(name(twice, 'urn:add', '{urn:x}Sub')).toBe('Sub');
    expect([...new Set(twice.operations.map((o) => o.key))]).toEqual(['Add', 'Sub']);
  });

  it('rpc operations are found by their wrapper in soap:body/@namespace; nothing matching is SOAP_UNKNOWN_OPERATION', () => {
    const i = index(op('echo', '', null, { style: 'rpc', input: { namespace: 'urn:echo' } } as unknown as Partial<Operation>));
    expect(name(i, '', '{urn:echo}echo')).toBe('echo');
    expect(() => i.resolve('1.1', 'urn:nope', '{urn:echo}other')).toThrow(expect.objectContaining({ code: 'SOAP_UNKNOWN_OPERATION' }));
  });

  it('an rpc wrapper in another namespace (the soap package uses the target namespace) is matched by the operation name', () => {
    const rpc = (n: string, ns: string): Operation => op(n, '', null, { style: 'rpc', input: { namespace: ns } } as unknown as Partial<Operation>);
    const i = index(rpc('getComment', 'http://soap.rpc.jira'), rpc('login', 'http://soap.rpc.jira'));
    expect(name(i, '', '{https://jira.example/v2}getComment')).toBe('getComment');
    // Only rpc wrappers: a document-style Body element is matched by its full name.
    const doc = index(op('get', '', '{urn:a}get'));
    expect(() => doc.resolve('1.1', '', '{urn:c}get')).toThrow(expect.objectContaining({ code: 'SOAP_UNKNOWN_OPERATION' }));
  });

  it('an empty Body is the one operation whose input has no body part; several body parts start with the first', () => {
    const body = (parts: { element: string | null }[]): Partial<Operation> => ({ input: { namespace: null, body: parts } }) as unknown as Partial<Operation>;
    const i = index(op('ping', '', null, body([])), op('both', '', null, body([{ element: '{urn:x}a' }, { element: '{urn:x}b' }])), op('other', 'urn:o', '{urn:x}c'));
    expect(name(i, '', null)).toBe('ping');
    expect(name(i, '', '{urn:x}a')).toBe('both');
    // Two operations without body parts: an empty Body names neither.
    const two = index(op('p1', '', null, body([])), op('p2', '', null, body([])));
    expect(() => two.resolve('1.1', '', null)).toThrow(expect.objectContaining({ code: 'SOAP_UNKNOWN_OPERATION' }));
  });
});
