import path from 'node:path';
import { buildFacade, type Facade, type FacadeOperation } from '../../../src/facade';
import { generalEnvelope } from '../../../src/facade/facade';
import { compileFlatWriter } from '../../../src/facade/flat-writer';
import { compileModel, loadBundle } from '../../../src/wsdl';
import { fixture } from './helpers';

/** The compiled writer writes what the general one writes, and leaves every other input to it. */
let calc: Facade;
let add: FacadeOperation;

beforeAll(async () => {
  calc = buildFacade(compileModel(await loadBundle(path.join(__dirname, '../../../wsdl/Calculator.wsdl'))));
  add = calc.find('add') as FacadeOperation;
});

function outcome(f: () => string): string {
  try {
    return f();
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

test('Calculator.Add compiles to a flat writer that writes the general envelope', () => {
  const flat = compileFlatWriter(add.operation, add.input, 64);
  expect(flat).not.toBeNull();
  expect(flat?.({ intA: 1, intB: 2 })).toBe(generalEnvelope(calc, add, { intA: 1, intB: 2 }));
  expect(add.toEnvelope({ intA: 1, intB: 2 })).toContain('<ns1:Add><ns1:intA>1</ns1:intA><ns1:intB>2</ns1:intB></ns1:Add>');
});

test.each([
  ['valid', { intA: -5, intB: 2147483647 }],
  ['a missing required member', { intA: 1 }],
  ['an unknown member', { intA: 1, intB: 2, intC: 3 }],
  ['null', { intA: null, intB: 2 }],
  ['a value out of range', { intA: 2147483648, intB: 2 }],
  ['a string for an int', { intA: '1', intB: 2 }],
  ['$type', { $type: 'X', intA: 1, intB: 2 }],
  ['$headers', { $headers: {}, intA: 1, intB: 2 }],
  ['an empty object', {}],
])('%s: toEnvelope answers exactly as the general writer', (_name, input) => {
  expect(outcome(() => add.toEnvelope(input))).toBe(outcome(() => generalEnvelope(calc, add, input)));
});

test('shapes beyond a flat sequence of simple members are not compiled', async () => {
  const shop = buildFacade((await fixture('shop.wsdl')).model);
  const place = shop.find('placeOrder') as FacadeOperation;
  expect(compileFlatWriter(place.operation, place.input, 64)).toBeNull();
  const rpc = buildFacade((await fixture('rpc-encoded.wsdl')).model);
  const sum = rpc.find('sum') as FacadeOperation;
  expect(compileFlatWriter(sum.operation, sum.input, 64)).toBeNull();
  expect(compileFlatWriter(add.operation, add.input, 0)).toBeNull();
});
