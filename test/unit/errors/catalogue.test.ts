import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { ERROR_CODES, type ErrorCode } from '../../../src/errors/codes';
import { BridgeError, toBridgeError } from '../../../src/errors/bridge-error';
import { toProblem, PROBLEM_CONTENT_TYPE } from '../../../src/errors/to-problem';
import { toSoapFault, SOAP11_ENV, SOAP12_ENV } from '../../../src/errors/to-soap-fault';

const CODES = Object.keys(ERROR_CODES) as ErrorCode[];
const README = path.join(__dirname, '../../../README.md');

describe('the error catalogue', () => {
  test('every code is documented in the README table of error codes', () => {
    // A missing README is a failure with a message, not a crash of the suite.
    expect(existsSync(README) ? 'README.md present' : `README.md not found at ${README}`).toBe('README.md present');
    const readme = readFileSync(README, 'utf8');
    const undocumented = CODES.filter((code) => !new RegExp(`^\\|.*\`?\\b${code}\\b\`?.*\\|`, 'm').test(readme));
    expect(undocumented).toEqual([]);
  });

  test('README documents each code with its HTTP status', () => {
    if (!existsSync(README)) return; // reported by the test above
    const readme = readFileSync(README, 'utf8');
    const wrong = CODES.filter((code) => {
      const row = readme.split('\n').find((l) => l.startsWith('|') && new RegExp(`\\b${code}\\b`).test(l));
      return row !== undefined && !row.includes(String(ERROR_CODES[code].status));
    });
    expect(wrong).toEqual([]);
  });

  test.each(CODES)('%s has a sane spec', (code) => {
    const spec = ERROR_CODES[code];
    expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    expect(spec.status).toBeGreaterThanOrEqual(400);
    expect(spec.status).toBeLessThan(600);
    expect(['client', 'server']).toContain(spec.side);
    expect(spec.title.length).toBeGreaterThan(5);
    // A retryable failure is one a group may send to another member: always a server-side one.
    if (spec.retryable) expect(spec.side).toBe('server');
  });

  test('codes the gateway promises keep their statuses', () => {
    expect(ERROR_CODES.ENDPOINT_UNREACHABLE.status).toBe(502);
    expect(ERROR_CODES.ENDPOINT_TIMEOUT.status).toBe(504);
    expect(ERROR_CODES.BODY_TOO_LARGE.status).toBe(413);
    expect(ERROR_CODES.ROUTE_NOT_FOUND.status).toBe(404);
    expect(ERROR_CODES.METHOD_NOT_ALLOWED.status).toBe(405);
    expect(ERROR_CODES.ENDPOINT_ALL_SUSPENDED.status).toBe(503);
  });
});

describe('BridgeError', () => {
  test('takes status and retryable from the catalogue unless overridden', () => {
    const cause = new Error('ECONNREFUSED');
    const e = new BridgeError('ENDPOINT_UNREACHABLE', 'b1: ECONNREFUSED', { cause });
    expect(e).toMatchObject({ code: 'ENDPOINT_UNREACHABLE', status: 502, retryable: true, requestSent: false, message: 'b1: ECONNREFUSED' });
    expect(e.cause).toBe(cause);
    expect(new BridgeError('BACKEND_CLIENT_FAULT', 'x', { status: 422 }).status).toBe(422);
  });

  test('toBridgeError wraps foreign errors as INTERNAL_ERROR and keeps BridgeErrors', () => {
    const be = new BridgeError('FORBIDDEN', 'no');
    expect(toBridgeError(be)).toBe(be);
    const wrapped = toBridgeError(new TypeError('boom'));
    expect(wrapped.code).toBe('INTERNAL_ERROR');
    expect((wrapped.cause as Error).message).toBe('boom');
  });
});

describe('problem+json (RFC 9457)', () => {
  test('carries type, title, status, code, detail, instance and request id', () => {
    const p = toProblem(new BridgeError('ENDPOINT_TIMEOUT', 'no response within 50 ms'), { instance: '/w/v1/x', requestId: 'r-1' });
    expect(PROBLEM_CONTENT_TYPE).toBe('application/problem+json');
    expect(p).toEqual({
      type: 'https://soapbridge.dev/errors/endpoint-timeout',
      title: ERROR_CODES.ENDPOINT_TIMEOUT.title,
      status: 504,
      code: 'ENDPOINT_TIMEOUT',
      detail: 'no response within 50 ms',
      instance: '/w/v1/x',
      requestId: 'r-1',
    });
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  test('extensions are added but never override the standard members', () => {
    const p = toProblem(new BridgeError('METHOD_NOT_ALLOWED', 'nope', { extensions: { allow: ['GET'], status: 200, code: 'X' } }));
    expect(p).toMatchObject({ allow: ['GET'], status: 405, code: 'METHOD_NOT_ALLOWED' });
    expect(p).not.toHaveProperty('instance');
  });

  test('internal errors do not leak their message', () => {
    const p = toProblem(new BridgeError('INTERNAL_ERROR', '/etc/secret: password=hunter2'));
    expect(JSON.stringify(p)).not.toContain('hunter2');
  });
});

describe('SOAP faults', () => {
  const parser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: false });
  type Xml = Record<string, unknown>;
  const at = (x: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => (o as Xml)[k], x);

  test.each(CODES)('SOAP 1.1 fault for %s', (code) => {
    const f = toSoapFault(new BridgeError(code, 'detail <&> text'), '1.1', 'req-9');
    // WS-I BP R1126: Faults travel with 500, except HTTP-level refusals (R1125) that keep their 4xx.
    expect(f.status).toBe(code === 'BODY_TOO_LARGE' || code === 'UNSUPPORTED_MEDIA_TYPE' ? ERROR_CODES[code].status : 500);
    expect(f.contentType).toBe('text/xml; charset=utf-8');
    const doc = parser.parse(f.body) as Xml;
    expect(at(doc, 'soap:Envelope', '@_xmlns:soap')).toBe(SOAP11_ENV);
    const fault = at(doc, 'soap:Envelope', 'soap:Body', 'soap:Fault') as Xml;
    const expected = code === 'SOAP_VERSION_MISMATCH' ? 'soap:VersionMismatch' : ERROR_CODES[code].side === 'client' ? 'soap:Client' : 'soap:Server';
    expect(fault['faultcode']).toBe(expected);
    expect(String(fault['faultstring'])).toContain(ERROR_CODES[code].title);
    expect(at(fault, 'detail', 'sb:code')).toBe(code);
    expect(at(fault, 'detail', 'sb:requestId')).toBe('req-9');
  });

  test.each(CODES)('SOAP 1.2 fault for %s', (code) => {
    const f = toSoapFault(new BridgeError(code, 'detail'), '1.2');
    expect(f.status).toBe(code === 'SOAP_VERSION_MISMATCH' ? 500 : ERROR_CODES[code].status);
    expect(f.contentType).toBe('application/soap+xml; charset=utf-8');
    const doc = parser.parse(f.body) as Xml;
    expect(at(doc, 'env:Envelope', '@_xmlns:env')).toBe(SOAP12_ENV);
    const fault = at(doc, 'env:Envelope', 'env:Body', 'env:Fault') as Xml;
    const expected = code === 'SOAP_VERSION_MISMATCH' ? 'env:VersionMismatch' : ERROR_CODES[code].side === 'client' ? 'env:Sender' : 'env:Receiver';
    expect(at(fault, 'env:Code', 'env:Value')).toBe(expected);
    expect(at(fault, 'env:Reason', 'env:Text', '@_xml:lang')).toBe('en');
    expect(at(fault, 'env:Detail', 'sb:code')).toBe(code);
    expect(at(fault, 'env:Detail')).not.toHaveProperty('sb:requestId');
  });

  test('markup in the detail is escaped: the parsed text is exactly what was thrown', () => {
    const f = toSoapFault(new BridgeError('BAD_REQUEST', '</faultstring><x>&'), '1.1', '<id>');
    expect(f.body).toContain('&lt;/faultstring&gt;&lt;x&gt;&amp;');
    const fault = at(parser.parse(f.body), 'soap:Envelope', 'soap:Body', 'soap:Fault') as Xml;
    expect(fault['faultstring']).toBe(`${ERROR_CODES.BAD_REQUEST.title}: </faultstring><x>&`);
    expect(at(fault, 'detail', 'sb:requestId')).toBe('<id>');
  });
});
