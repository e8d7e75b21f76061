import {
  calcBody,
  envelope,
  parseFault,
  postSoap,
  SOAP11_ENV,
  SOAP12_ENV,
  soapHeaders,
  startLoopback,
  useCalculatorBridge,
  type LoopbackServer,
  type SoapVersion,
} from '../../utils/soap-bridge';

/**
 * Bad envelopes get a Fault of the caller's version (from the content type) with a stable code,
 * never reach the backend, and leave the bridge serving. SOAP 1.1 Faults are always HTTP 500;
 * SOAP 1.2 Faults carry the catalogue status (400 for Sender faults, 500 for VersionMismatch).
 */
const calc = useCalculatorBridge();

const senderSide = (v: SoapVersion): string => (v === '1.1' ? 'Client' : 'Sender');
const faultStatus = (v: SoapVersion): number => (v === '1.1' ? 500 : 400);

/** After any bad request, a good one still works. */
async function stillServes(version: SoapVersion = '1.1'): Promise<void> {
  const hitsBefore = calc.backend.hits();
  const res = await postSoap(calc.bridge.apiUrl, envelope(version, calcBody('Add', 20, 22)), soapHeaders(version, 'http://tempuri.org/Add'));
  expect(res.status).toBe(200);
  expect(res.body).toContain('42');
  expect(calc.backend.hits()).toBe(hitsBefore + 1);
}

async function expectFault(version: SoapVersion, body: string | Buffer, action: string, expected: { status: number; code: string; bridgeCode: string }): Promise<string> {
  const res = await postSoap(calc.bridge.apiUrl, body, soapHeaders(version, action));
  expect(res.status).toBe(expected.status);
  const fault = parseFault(res.body);
  expect(fault).toMatchObject({ version, code: expected.code, bridgeCode: expected.bridgeCode });
  expect(calc.backend.hits()).toBe(0);
  await stillServes(version);
  return res.body;
}

describe('VersionMismatch', () => {
  test('a SOAP 1.2 envelope sent as text/xml gets a SOAP 1.1 VersionMismatch', async () => {
    await expectFault('1.1', envelope('1.2', calcBody('Add', 1, 2)), 'http://tempuri.org/Add', { status: 500, code: 'VersionMismatch', bridgeCode: 'SOAP_VERSION_MISMATCH' });
  });

  test('a SOAP 1.1 envelope sent as application/soap+xml gets a SOAP 1.2 VersionMismatch', async () => {
    await expectFault('1.2', envelope('1.1', calcBody('Add', 1, 2)), '', { status: 500, code: 'VersionMismatch', bridgeCode: 'SOAP_VERSION_MISMATCH' });
  });

  test.each(['1.1', '1.2'] as const)('an unknown envelope namespace (SOAP %s caller)', async (version) => {
    const body = `<e:Envelope xmlns:e="urn:not-soap"><e:Body>${calcBody('Add', 1, 2)}</e:Body></e:Envelope>`;
    await expectFault(version, body, '', { status: 500, code: 'VersionMismatch', bridgeCode: 'SOAP_VERSION_MISMATCH' });
  });
});

describe.each(['1.1', '1.2'] as const)('malformed XML (SOAP %s caller)', (version) => {
  const good = envelope(version, calcBody('Add', 1, 2));
  const ns = version === '1.1' ? SOAP11_ENV : SOAP12_ENV;
  test.each([
    ['truncated', good.slice(0, good.length - 30)],
    ['truncated in the head', good.slice(0, 60)],
    ['unclosed tags', `<env:Envelope xmlns:env="${ns}"><env:Body><t:Add xmlns:t="http://tempuri.org/"><t:intA>1</t:intA>`],
    ['mismatched tags', `<env:Envelope xmlns:env="${ns}"><env:Body><t:Add xmlns:t="http://tempuri.org/"></t:Sub></env:Body></env:Envelope>`],
    ['garbage', 'this is { not xml at all ]]>'],
    ['binary garbage', Buffer.from([0x00, 0xff, 0xfe, 0x3c, 0x01, 0x02, 0x3e])],
    ['a root that is not an Envelope', `<Add xmlns="http://tempuri.org/"><intA>1</intA></Add>`],
    ['an Envelope without a Body', `<env:Envelope xmlns:env="${ns}"><env:Header/></env:Envelope>`],
    ['an undeclared prefix', `<env:Envelope xmlns:env="${ns}"><env:Body><q:Add/></env:Body></env:Envelope>`],
  ] as const)('%s', async (_name, body) => {
    await expectFault(version, body, '', { status: faultStatus(version), code: senderSide(version), bridgeCode: 'SOAP_MALFORMED_ENVELOPE' });
  });

  test('an empty request body', async () => {
    await expectFault(version, '', 'http://tempuri.org/Add', { status: faultStatus(version), code: senderSide(version), bridgeCode: 'SOAP_MALFORMED_ENVELOPE' });
  });
});

describe('DOCTYPE and entities are refused, never expanded or fetched', () => {
  let fetched = 0;
  let entityServer: LoopbackServer;
  beforeEach(async () => {
    fetched = 0;
    entityServer = await startLoopback((_req, res) => {
      fetched++;
      res.end('LEAKED-BY-ENTITY');
    });
  });
  afterEach(() => entityServer.close());

  const laughs = [
    '<!DOCTYPE lolz [<!ENTITY lol "lol">',
    ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
    ']>',
  ].join('');

  test.each([
    ['a plain DOCTYPE', '<!DOCTYPE Envelope>', '1'],
    ['a billion-laughs bomb', laughs, '&lol9;'],
    ['an external file entity', '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>', '&x;'],
    ['an external http entity', 'HTTP', '&x;'],
    ['a parameter entity', 'PARAM', '1'],
  ] as const)('%s', async (_name, doctype, value) => {
    const dtd =
      doctype === 'HTTP'
        ? `<!DOCTYPE d [<!ENTITY x SYSTEM "${entityServer.origin}/x">]>`
        : doctype === 'PARAM'
          ? `<!DOCTYPE d [<!ENTITY % p SYSTEM "${entityServer.origin}/p.dtd"> %p;]>`
          : doctype;
    const body = `<?xml version="1.0"?>${dtd}<env:Envelope xmlns:env="${SOAP11_ENV}"><env:Body>${calcBody('Add', 1, 2).replace('<t:intA>1', `<t:intA>${value}`)}</env:Body></env:Envelope>`;
    const started = Date.now();
    const fault = await expectFault('1.1', body, 'http://tempuri.org/Add', { status: 500, code: 'Client', bridgeCode: 'SOAP_MALFORMED_ENVELOPE' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(fault).toContain('DOCTYPE');
    expect(fault).not.toMatch(/root:|lollollol|LEAKED-BY-ENTITY/);
    expect(fetched).toBe(0);
  });
});

describe('unknown operations', () => {
  test.each(['1.1', '1.2'] as const)('an element the WSDL does not know, empty action (SOAP %s)', async (version) => {
    const body = envelope(version, '<t:Modulo xmlns:t="http://tempuri.org/"><t:intA>1</t:intA></t:Modulo>');
    const fault = await expectFault(version, body, '', { status: faultStatus(version), code: senderSide(version), bridgeCode: 'SOAP_UNKNOWN_OPERATION' });
    expect(parseFault(fault).reason).toContain('Modulo');
  });

  test('a known element in the wrong namespace', async () => {
    const body = envelope('1.1', '<Add xmlns="urn:elsewhere"><intA>1</intA><intB>2</intB></Add>');
    await expectFault('1.1', body, '', { status: 500, code: 'Client', bridgeCode: 'SOAP_UNKNOWN_OPERATION' });
  });

  test('an unknown action with an unknown element', async () => {
    const body = envelope('1.2', '<t:Modulo xmlns:t="http://tempuri.org/"/>');
    const fault = await expectFault('1.2', body, 'http://tempuri.org/Modulo', { status: 400, code: 'Sender', bridgeCode: 'SOAP_UNKNOWN_OPERATION' });
    expect(parseFault(fault).reason).toContain('http://tempuri.org/Modulo');
  });

  test.each(['1.1', '1.2'] as const)('an empty Body (SOAP %s)', async (version) => {
    const fault = await expectFault(version, envelope(version, ''), '', { status: faultStatus(version), code: senderSide(version), bridgeCode: 'SOAP_UNKNOWN_OPERATION' });
    expect(parseFault(fault).reason).toContain('empty Body');
  });
});

test('100-level nesting inside the operation passes to the backend as is', async () => {
  // Deep but well-formed: the bridge does not judge the payload; the backend answers.
  const deep = `${'<t:x>'.repeat(100)}1${'</t:x>'.repeat(100)}`;
  const body = envelope('1.1', calcBody('Add', 1, 2).replace('</t:Add>', `<t:extra>${deep}</t:extra></t:Add>`));
  const res = await postSoap(calc.bridge.apiUrl, body, soapHeaders('1.1', 'http://tempuri.org/Add'));
  expect(res.body).not.toContain('urn:soapbridge:fault');
  expect(calc.backend.hits()).toBe(1);
  await stillServes();
});
