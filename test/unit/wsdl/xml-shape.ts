import { scanXml } from '../../../src/wsdl/xml/scan-xml';
import type { XmlElement } from '../../../src/wsdl/xml/xml-element';

/** An element tree as plain data (scopes copied out of their null-prototype objects), for toEqual. */
export interface Shape {
  ns: string;
  local: string;
  attrs: Record<string, string>;
  scope: Record<string, string>;
  line: number;
  children: Shape[];
}

export function shapeOf(el: XmlElement): Shape {
  return { ns: el.ns, local: el.local, attrs: { ...el.attrs }, scope: { ...el.scope }, line: el.line, children: el.children.map(shapeOf) };
}

/** The full scanner's tree, or the error it throws. */
export function strictOrError(text: string): XmlElement | Error {
  try {
    return scanXml(text);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}
