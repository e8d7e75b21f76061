import { operationIdempotent, type ApiRuntime } from '../../../src/gateway/api-runtime';
import type { Operation } from '../../../src/wsdl/model';

const api = (operations?: Record<string, { idempotent?: boolean }>): ApiRuntime => ({ config: { operations } }) as unknown as ApiRuntime;
const op = (name: string, safe?: boolean, key = name): Operation => ({ name, key, ...(safe === undefined ? {} : { safe }) }) as Operation;

describe('operationIdempotent', () => {
  it('takes the configured flag first, then WSDL 2.0 wsdlx:safe, else false', () => {
    expect(operationIdempotent(api(), op('Add'))).toBe(false);
    expect(operationIdempotent(api(), op('GetQuote', true))).toBe(true);
    expect(operationIdempotent(api(), op('Buy', false))).toBe(false);
    expect(operationIdempotent(api({ GetQuote: { idempotent: false } }), op('GetQuote', true))).toBe(false);
    expect(operationIdempotent(api({ Add: { idempotent: true } }), op('Add'))).toBe(true);
    // Operations of several portTypes sharing a name are configured under their key (Operation.key).
    expect(operationIdempotent(api({ 'FlightInfoPortType.service': { idempotent: true } }), op('service', undefined, 'FlightInfoPortType.service'))).toBe(true);
    expect(operationIdempotent(api({ service: { idempotent: true } }), op('service', undefined, 'RepricePortType.service'))).toBe(false);
  });
});
