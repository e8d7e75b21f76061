import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSoapApi } from '../../../src/gateway/soap-api';

/** What a hot reload gets for an API's WSDL: the same SoapApi while the files are unchanged. */
describe('loadSoapApi across reloads', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'soap-api-'));
    cpSync(path.join(__dirname, '../../fixtures/wsdl/calculator'), dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reuses model, operation index and rendered ?wsdl until a file changes', async () => {
    const wsdl = path.join(dir, 'Calculator.wsdl');
    const first = await loadSoapApi(wsdl);
    await first.docs.get({ kind: 'entry' }, 'http://bridge.test/calc/v1');
    const again = await loadSoapApi(wsdl);
    expect(again).toBe(first);
    expect(again.model).toBe(first.model);

    // An edit (a new soap:address) gives a new SoapApi built from the new content.
    const text = readFileSync(wsdl, 'utf8');
    const edited = text.replace(/(soap:address location=")[^"]*"/, '$1http://127.0.0.1:9/edited"');
    expect(edited).not.toBe(text);
    writeFileSync(wsdl, edited);
    const changed = await loadSoapApi(wsdl);
    expect(changed).not.toBe(first);
    expect(changed.address().url).toBe('http://127.0.0.1:9/edited');
    expect(changed.docs).not.toBe(first.docs);
  });
});
