/**
 * Turns a WSDL bundle's schemas into files xmllint can compile: inline schemas are cut out of
 * their WSDL (with the namespace declarations they inherit), imports by namespace only get a
 * schemaLocation, the XML and SOAP-encoding namespaces point at small local copies (xmllint
 * runs with --nonet), and one driver schema imports every namespace. Pragmatic by design: when
 * the result does not compile, the caller reports "schema not validatable" and skips xmllint.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { WsdlBundle } from '../src/wsdl';

const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const SOAPENC_NS = 'http://schemas.xmlsoap.org/soap/encoding/';

const XML_XSD = `<?xml version="1.0"?>
<xs:schema xmlns:xs="${XSD_NS}" targetNamespace="${XML_NS}">
  <xs:attribute name="lang" type="xs:string"/><xs:attribute name="space" type="xs:string"/>
  <xs:attribute name="base" type="xs:anyURI"/><xs:attribute name="id" type="xs:ID"/>
  <xs:attributeGroup name="specialAttrs"><xs:attribute ref="xml:base"/><xs:attribute ref="xml:lang"/><xs:attribute ref="xml:space"/></xs:attributeGroup>
</xs:schema>`;

const ENC_TYPES = 'string boolean float double decimal duration dateTime time date gYearMonth gYear gMonthDay gDay gMonth hexBinary base64Binary anyURI QName NOTATION normalizedString token language NMTOKEN NMTOKENS Name NCName ID IDREF IDREFS ENTITY ENTITIES integer nonPositiveInteger negativeInteger long int short byte nonNegativeInteger unsignedLong unsignedInt unsignedShort unsignedByte positiveInteger'.split(' ');
const SOAPENC_XSD = `<?xml version="1.0"?>
<xs:schema xmlns:xs="${XSD_NS}" xmlns:tns="${SOAPENC_NS}" targetNamespace="${SOAPENC_NS}">
  <xs:attributeGroup name="commonAttributes"><xs:attribute name="id" type="xs:ID"/><xs:attribute name="href" type="xs:anyURI"/><xs:anyAttribute namespace="##other" processContents="lax"/></xs:attributeGroup>
  <xs:attribute name="arrayType" type="xs:string"/><xs:attribute name="offset" type="xs:string"/><xs:attribute name="position" type="xs:string"/><xs:attribute name="root" type="xs:boolean"/>
  <xs:attributeGroup name="arrayAttributes"><xs:attribute ref="tns:arrayType"/><xs:attribute ref="tns:offset"/></xs:attributeGroup>
  <xs:complexType name="Array"><xs:sequence><xs:any namespace="##any" minOccurs="0" maxOccurs="unbounded" processContents="lax"/></xs:sequence>
    <xs:attributeGroup ref="tns:arrayAttributes"/><xs:attributeGroup ref="tns:commonAttributes"/></xs:complexType>
  <xs:complexType name="Struct"><xs:sequence><xs:any namespace="##any" minOccurs="0" maxOccurs="unbounded" processContents="lax"/></xs:sequence>
    <xs:attributeGroup ref="tns:commonAttributes"/></xs:complexType>
  <xs:element name="Array" type="tns:Array"/><xs:element name="Struct" type="tns:Struct"/>
  <xs:simpleType name="base64"><xs:restriction base="xs:base64Binary"/></xs:simpleType>
  ${ENC_TYPES.map((t) => `<xs:complexType name="${t}"><xs:simpleContent><xs:extension base="xs:${t}"><xs:attributeGroup ref="tns:commonAttributes"/></xs:extension></xs:simpleContent></xs:complexType>`).join('\n  ')}
</xs:schema>`;

interface SchemaFile {
  file: string;
  tns: string;
}

/** Writes the bundle's schemas under `dir`; returns the driver schema path, or null when there is none. */
export function writeSchemaSet(bundle: WsdlBundle, dir: string): string | null {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, '__xml.xsd'), XML_XSD);
  writeFileSync(path.join(dir, '__soapenc.xsd'), SOAPENC_XSD);
  const files: SchemaFile[] = [];
  const texts = new Map<string, string>();
  for (const doc of bundle.documents.values()) {
    if (/^[a-z]+:\/\//i.test(doc.path)) continue;
    const out = path.join(dir, doc.path);
    mkdirSync(path.dirname(out), { recursive: true });
    if (doc.kind === 'xsd' && /<([\w.-]+:)?schema\b/.test(doc.text)) {
      texts.set(out, doc.text);
      files.push({ file: out, tns: attr(startTag(doc.text, 'schema') ?? '', 'targetNamespace') ?? '' });
      continue;
    }
    writeFileSync(out, doc.text);
    // WSDL 1.1 <definitions> or WSDL 2.0 <description>: inline schemas inherit its namespace declarations.
    const root = /<([\w.-]+:)?(?:definitions|description)\b[^>]*>/.exec(doc.text)?.[0] ?? '';
    const rootDecls = declarations(root);
    let i = 0;
    for (const m of doc.text.matchAll(/<((?:[\w.-]+:)?)schema\b(?:[^>]*\/>|[\s\S]*?<\/\1schema\s*>)/g)) {
      const text = m[0];
      const tag = /^<[^>]*>/.exec(text)?.[0] ?? '';
      const own = declarations(tag);
      const prefix = (m[1] ?? '').replace(':', '');
      if ((own[prefix === '' ? 'xmlns' : `xmlns:${prefix}`] ?? rootDecls[prefix === '' ? 'xmlns' : `xmlns:${prefix}`]) !== XSD_NS) continue;
      const extra = Object.entries(rootDecls).filter(([k]) => !(k in own)).map(([k, v]) => ` ${k}="${v}"`).join('');
      const withDecls = text.replace(/^(<[\w.:-]+)/, `$1${extra}`);
      const file = `${out}.inline${i++}.xsd`;
      texts.set(file, withDecls);
      files.push({ file, tns: attr(tag, 'targetNamespace') ?? '' });
    }
  }
  if (files.length === 0) return null;
  const byNs = new Map<string, string[]>();
  for (const f of files) byNs.set(f.tns, [...(byNs.get(f.tns) ?? []), f.file]);
  byNs.set(XML_NS, [path.join(dir, '__xml.xsd')]);
  byNs.set(SOAPENC_NS, [path.join(dir, '__soapenc.xsd')]);
  // One target per namespace: several documents of one namespace are included by a wrapper, and
  // every import of that namespace points at it (xmllint honours only the first import of a namespace).
  const target = new Map<string, string>();
  let k = 0;
  for (const [ns, list] of byNs) {
    let t = list[0] as string;
    if (list.length > 1) {
      t = path.join(dir, `__ns${k++}.xsd`);
      const includes = list.map((f) => `<xs:include schemaLocation="${path.relative(dir, f).split(path.sep).join('/')}"/>`).join('');
      writeFileSync(t, `<?xml version="1.0"?><xs:schema xmlns:xs="${XSD_NS}"${ns ? ` targetNamespace="${ns}"` : ''}>${includes}</xs:schema>`);
    }
    target.set(ns, t);
  }
  // Imports by namespace only (and of the well-known namespaces) get a local schemaLocation.
  for (const [file, text] of texts) {
    const fixed = text.replace(/<([\w.-]+:)?import\b([^>]*?)(\/?)>/g, (whole, p: string | undefined, attrs: string, close: string) => {
      const ns = attr(attrs, 'namespace') ?? '';
      const loc = attr(attrs, 'schemaLocation');
      const known = ns === XML_NS || ns === SOAPENC_NS;
      if (loc !== undefined && !known && !/^https?:/i.test(loc)) return whole;
      const to = target.get(ns);
      if (!to || (loc !== undefined && !known && (byNs.get(ns)?.length ?? 0) < 2)) return whole;
      const rel = path.relative(path.dirname(file), to).split(path.sep).join('/');
      const rest = attrs.replace(/\s+schemaLocation\s*=\s*("[^"]*"|'[^']*')/, '');
      return `<${p ?? ''}import${rest} schemaLocation="${rel}"${close}>`;
    });
    writeFileSync(file, fixed);
  }
  const imports = [...target].map(([ns, t]) => `<xs:import${ns ? ` namespace="${ns}"` : ''} schemaLocation="${path.relative(dir, t).split(path.sep).join('/')}"/>`);
  const main = path.join(dir, '__main.xsd');
  writeFileSync(main, `<?xml version="1.0"?><xs:schema xmlns:xs="${XSD_NS}" targetNamespace="urn:soapbridge:validation-driver">${imports.join('')}</xs:schema>`);
  return main;
}

function startTag(text: string, local: string): string | undefined {
  return new RegExp(`<([\\w.-]+:)?${local}\\b[^>]*>`).exec(text)?.[0];
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  return m ? (m[2] ?? m[3]) : undefined;
}

function declarations(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/\s(xmlns(?::[\w.-]+)?)\s*=\s*("([^"]*)"|'([^']*)')/g)) out[m[1] as string] = (m[3] ?? m[4]) as string;
  return out;
}

export interface XmllintResult {
  /** False when the schema itself did not compile (nothing was validated). */
  schemaOk: boolean;
  schemaError: string;
  /** Per instance file: null when valid, else the first error. */
  results: Map<string, string | null>;
}

/** Validates instance files against the driver schema in one xmllint run. */
export function xmllint(schema: string, instances: string[], timeoutMs = 60_000): XmllintResult {
  const results = new Map<string, string | null>();
  if (instances.length === 0) return { schemaOk: true, schemaError: '', results };
  const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, ...instances], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  const err = `${r.stderr ?? ''}`;
  if (/failed to compile/.test(err) || r.error) {
    return { schemaOk: false, schemaError: r.error ? r.error.message : (err.split('\n').find((l) => /error/i.test(l)) ?? err.split('\n')[0] ?? '').slice(0, 300), results };
  }
  const lines = err.split('\n');
  for (const f of instances) {
    if (lines.includes(`${f} validates`)) results.set(f, null);
    else results.set(f, (lines.find((l) => l.startsWith(`${f}:`)) ?? 'fails to validate').slice(f.length + 1, f.length + 300));
  }
  return { schemaOk: true, schemaError: '', results };
}

/** A body child of an envelope as a standalone document (declarations from the Envelope copied in). */
export function standaloneBodyChildren(envelope: string): string[] {
  const envTag = /<([\w.-]+):Envelope\b([^>]*)>/.exec(envelope);
  const decls = envTag?.[2] ?? '';
  const envPrefix = envTag?.[1] ?? 'soap';
  const start = envelope.indexOf(`<${envPrefix}:Body>`);
  const end = envelope.lastIndexOf(`</${envPrefix}:Body>`);
  if (start < 0 || end < 0) return [];
  const body = envelope.slice(start + `<${envPrefix}:Body>`.length, end);
  // Split top-level children by tracking depth over tags (our own writer's output: no comments/CDATA).
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (const m of body.matchAll(/<(\/?)[^>]*?(\/?)>/g)) {
    if (m[1] === '/') depth--;
    else if (m[2] !== '/') depth++;
    if (depth === 0) {
      const piece = body.slice(from, (m.index ?? 0) + m[0].length);
      out.push(piece.replace(/^(<[\w.:-]+)/, `$1${decls}`));
      from = (m.index ?? 0) + m[0].length;
    }
  }
  return out;
}
