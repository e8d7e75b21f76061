import { NS } from '../wsdl/qname';
import type { SoapVersion } from '../wsdl/model';
import type { XmlWriter } from './xml-writer';
import { invalidResponse, parseXmlTree, type XNode } from './xml-tree';

export function envelopeNs(v: SoapVersion): string {
  return v === '1.2' ? NS.soap12env : NS.soapenv;
}

/**
 * Wraps already-written Header and Body content in an Envelope that declares every namespace
 * the writer used (one declaration site: the Envelope).
 */
export function buildEnvelope(version: SoapVersion, w: XmlWriter, header: string, body: string, bodyAttrs = ''): string {
  const env = w.prefix(envelopeNs(version));
  const head = header === '' ? '' : `<${env}:Header>${header}</${env}:Header>`;
  return `<?xml version="1.0" encoding="utf-8"?><${env}:Envelope${w.declarations()}>${head}<${env}:Body${bodyAttrs}>${body}</${env}:Body></${env}:Envelope>`;
}

export interface ParsedEnvelope {
  version: SoapVersion;
  header: XNode | null;
  body: XNode;
}

/** A backend response → Envelope parts; anything else (HTML error pages, bare XML) is a 502. */
export function parseEnvelope(xml: string, httpStatus: number): ParsedEnvelope {
  const trimmed = xml.trimStart();
  if (trimmed === '') throw invalidResponse(`the backend answered HTTP ${httpStatus} with an empty body`);
  if (/^<!doctype html|^<html/i.test(trimmed)) throw invalidResponse(`the backend answered HTTP ${httpStatus} with an HTML page, not a SOAP envelope`);
  if (!trimmed.startsWith('<')) throw invalidResponse(`the backend answered HTTP ${httpStatus} with a body that is not XML (starts with ${JSON.stringify(trimmed.slice(0, 20))})`);
  const root = parseXmlTree(xml);
  if (root.local !== 'Envelope' || (root.ns !== NS.soapenv && root.ns !== NS.soap12env)) {
    throw invalidResponse(`the backend answered HTTP ${httpStatus} with <${root.local}> in namespace "${root.ns}", not a SOAP Envelope`);
  }
  const version: SoapVersion = root.ns === NS.soap12env ? '1.2' : '1.1';
  const header = root.children.find((c) => c.ns === root.ns && c.local === 'Header') ?? null;
  const body = root.children.find((c) => c.ns === root.ns && c.local === 'Body');
  if (!body) throw invalidResponse('the backend response Envelope has no Body');
  return { version, header, body };
}
