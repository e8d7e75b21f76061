import path from 'node:path';
import { startLoopback, startSoapBridge, envelope, type LoopbackServer, type SoapTestBridge } from '../../utils/soap-bridge';
import { expectProblem, postJson } from './rest';

/**
 * Substitution groups through the gateway's REST facade: the member named in the JSON reaches the
 * backend as its own element (own namespace), the members in the backend's answer come back under
 * their own names, and an abstract head is a 400 that never reaches the backend.
 */
const FINDER_WSDL = path.join(__dirname, '../../fixtures/wsdl/substitution-groups/Finder.wsdl');

let backend: LoopbackServer;
let bridge: SoapTestBridge;
const received: string[] = [];

const ANSWER =
  '<FindResponse xmlns="urn:test:finder" xmlns:x="urn:test:finder:ext"><Properties>' +
  '<x:TaggedFieldURI Tag="5"><PropertyName>Color</PropertyName></x:TaggedFieldURI><FieldURI FieldURI="item:Subject"/>' +
  '</Properties><Remark>seen</Remark></FindResponse>';

beforeAll(async () => {
  backend = await startLoopback((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      received.push(body);
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(envelope('1.1', ANSWER));
    });
  });
  bridge = await startSoapBridge({ wsdl: FINDER_WSDL, backendUrl: backend.origin, name: 'finder', expose: { rest: true } });
});

afterAll(async () => {
  await bridge?.close();
  await backend?.close();
});

test('members go to the backend under their own names and come back under their own names', async () => {
  received.length = 0;
  const r = await postJson(`${bridge.apiUrl}/find`, {
    Shape: 'IdOnly',
    AdditionalProperties: { TaggedFieldURI: [{ '@Tag': 9, PropertyName: 'Size' }], FieldURI: [{ '@FieldURI': 'folder:DisplayName' }] },
    SortBy: { DictionaryURI: { '@FieldURI': 'contacts:EmailAddress', '@FieldIndex': 'EmailAddress1' } },
  });
  expect({ status: r.status, body: r.body }).toEqual({
    status: 200,
    body: { Properties: { TaggedFieldURI: [{ '@Tag': 5, PropertyName: 'Color' }], FieldURI: [{ '@FieldURI': 'item:Subject' }] }, Remark: ['seen'] },
  });
  expect(received).toHaveLength(1);
  const sent = received[0] as string;
  const ext = /xmlns:(\w+)="urn:test:finder:ext"/.exec(sent)?.[1];
  expect(ext).toBeDefined();
  expect(sent).toMatch(new RegExp(`<${ext}:TaggedFieldURI Tag="9"><\\w+:PropertyName>Size</\\w+:PropertyName></${ext}:TaggedFieldURI><(\\w+):FieldURI FieldURI="folder:DisplayName"></\\1:FieldURI>`));
  expect(sent).toMatch(/<(\w+):SortBy><\1:DictionaryURI FieldURI="contacts:EmailAddress" FieldIndex="EmailAddress1"><\/\1:DictionaryURI><\/\1:SortBy>/);
  expect(sent).not.toContain('Path');
});

test('an abstract head in the JSON is a 400 naming its path; the backend sees nothing', async () => {
  received.length = 0;
  const r = await postJson(`${bridge.apiUrl}/find`, { Shape: 'IdOnly', SortBy: { Path: { '@FieldURI': 'item:Subject' } } });
  const p = expectProblem(r, 400, 'REQUEST_INVALID');
  expect(p['path']).toBe('$.SortBy.Path');
  expect(String(p['detail'])).toContain('in place of Path (an abstract substitution group head)');
  expect(received).toHaveLength(0);
});
