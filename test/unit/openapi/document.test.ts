import path from 'node:path';
import { buildFacade, sampleInput } from '../../../src/facade';
import { check, load } from '../../utils/openapi-check';

const ROOT = path.join(__dirname, '../../..');

describe('OpenAPI 3.1 from the WSDL', () => {
  test('Calculator: one POST and GET per operation, example, problem+json errors', async () => {
    const doc = await check(path.join(ROOT, 'wsdl/Calculator.wsdl'));
    expect(Object.keys(doc.paths)).toEqual(['/add', '/subtract', '/multiply', '/divide']);
    const add = doc.paths['/add'] as Record<string, Record<string, unknown>>;
    expect(add.post?.requestBody).toMatchObject({ content: { 'application/json': { example: { intA: 1, intB: 1 } } } });
    expect((add.get?.parameters as { name: string }[]).map((p) => p.name)).toEqual(['intA', 'intB']);
    expect(add.post?.responses).toMatchObject({ '400': { content: { 'application/problem+json': {} } }, '502': {} });
  });

  test('shop fixture: oneOf + $type discriminator, $ref recursion, nullable, enums, attributes', async () => {
    const doc = await check(path.join(__dirname, '../facade/fixtures/shop.wsdl'));
    const s = doc.components.schemas as Record<string, Record<string, unknown>>;
    const req = s.PlaceOrderRequest as { properties: Record<string, Record<string, unknown>> };
    expect(req.properties.pet).toMatchObject({ discriminator: { propertyName: '$type', mapping: { Dog: '#/components/schemas/Dog', Cat: '#/components/schemas/Cat' } } });
    expect((req.properties.pet as { oneOf: unknown[] }).oneOf).toHaveLength(2); // Animal is abstract
    expect(s.TreeNode).toMatchObject({ properties: { child: { type: 'array', items: { $ref: '#/components/schemas/TreeNode' } } } });
    expect(s.Order).toMatchObject({ properties: { note: { type: ['string', 'null'] }, '@currency': { type: 'string' } }, required: expect.arrayContaining(['@currency', 'id', 'items']) });
    expect(s.Status).toEqual({ type: 'string', enum: ['NEW', 'PAID'] });
    expect(s.Money).toMatchObject({ properties: { $value: { type: ['number', 'string'] } } });
    expect(req.properties.$headers).toMatchObject({ properties: { auth: { type: 'object' } } });
  });

  test('rpc/encoded fixture: soapenc:Array is a JSON array', async () => {
    const doc = await check(path.join(__dirname, '../facade/fixtures/rpc-encoded.wsdl'));
    expect(doc.components.schemas.ArrayOfInt).toMatchObject({ type: 'array', items: { type: ['integer', 'null'] } });
  });

  test('sample inputs of the fixture also pass the mapper (the same convention on both sides)', async () => {
    const model = await load(path.join(__dirname, '../facade/fixtures/shop.wsdl'));
    const facade = buildFacade(model);
    for (const op of facade.operations()) expect(() => op.toEnvelope(sampleInput(facade.view, op.input))).not.toThrow();
  });
});
