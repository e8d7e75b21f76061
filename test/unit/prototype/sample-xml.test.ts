import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileModel, loadBundle } from '../../../src/wsdl';
import { envelope } from '../../../src/prototype/generated/mock-response';
import { SampleXml } from '../../../src/prototype/generated/sample-xml';
import { writeSchemaSet } from '../../../scripts/facade-xsd';
import { wsdl } from '../../fixtures/import/wsdl-gen';
import { validateBody } from '../facade/helpers';

/**
 * Wildcards in generated answers: `xs:any` is strict by default, and a strict wildcard takes only
 * an element the schemas declare. The generator wrote `<sample:sample>` for every wildcard, which
 * xmllint refuses under strict (seen on nodesoap-cybersource's runTransaction answer).
 */
const types = `<xs:schema targetNamespace="urn:t" elementFormDefault="qualified">
  <xs:element name="Holder"><xs:complexType><xs:sequence><xs:any/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="LaxHolder"><xs:complexType><xs:sequence><xs:any processContents="lax"/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="OtherHolder"><xs:complexType><xs:sequence><xs:any namespace="urn:nowhere"/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="Note" type="xs:string"/>
  <xs:element name="Ping" type="xs:string"/>
</xs:schema>`;

let dir: string;
let samples: SampleXml;
let schema: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sample-xml-'));
  writeFileSync(path.join(dir, 's.wsdl'), wsdl({ tns: 'urn:t', types }));
  const bundle = await loadBundle(path.join(dir, 's.wsdl'));
  samples = new SampleXml(compileModel(bundle).schema);
  schema = writeSchemaSet(bundle, path.join(dir, 'xsd'))!;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a strict wildcard holds a declared element of a simple type, and the answer validates', () => {
  const xml = samples.globalElement('{urn:t}Holder')!;
  expect(xml).toMatch(/^<ns1:Holder xmlns:ns1="urn:t"><ns1:(Note|Ping)>[^<]*<\/ns1:(Note|Ping)><\/ns1:Holder>$/);
  expect(validateBody(schema, envelope('1.1', xml))).toEqual([]);
});

test('a lax wildcard takes any element, declared or not, and validates', () => {
  const xml = samples.globalElement('{urn:t}LaxHolder')!;
  expect(xml).toContain('urn:soapbridge:sample');
  expect(validateBody(schema, envelope('1.1', xml))).toEqual([]);
});

test('a strict wildcard no declared element fits keeps the placeholder in its namespace (no valid instance exists)', () => {
  const xml = samples.globalElement('{urn:t}OtherHolder')!;
  expect(xml).toBe('<ns1:OtherHolder xmlns:ns1="urn:t" xmlns:ns2="urn:nowhere"><ns2:sample/></ns1:OtherHolder>');
  expect(validateBody(schema, envelope('1.1', xml))).toEqual([expect.stringMatching(/strict wildcard/)]);
});
