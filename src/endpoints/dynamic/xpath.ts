import type { XmlNode } from './xml-tree';

/**
 * The XPath subset routing rules need, compared by namespace URI (prefixes come from the rule's
 * `namespaces`, never from the document): absolute paths (`/soap:Envelope/soap:Body/ns:Op/ns:id`),
 * descendant steps (`//ns:id`), `*`, and a final `text()`. Unprefixed names mean "no namespace",
 * as in XPath 1.0.
 */
interface Step {
  readonly descendant: boolean;
  /** undefined matches any element (`*`). */
  readonly name?: { readonly ns: string; readonly local: string };
}

export interface CompiledXPath {
  readonly steps: readonly Step[];
  readonly text: boolean;
}

export function compileXPath(expr: string, namespaces: Readonly<Record<string, string>> = {}): CompiledXPath {
  if (!expr.startsWith('/')) throw new Error(`XPath "${expr}" must be absolute (start with / or //)`);
  const parts = expr.split('/');
  const steps: Step[] = [];
  let text = false;
  let descendant = false;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!.trim();
    if (p === '') {
      descendant = true;
      continue;
    }
    if (text) throw new Error(`XPath "${expr}": text() must be the last step`);
    if (p === 'text()') {
      text = true;
      continue;
    }
    if (p === '*') steps.push({ descendant });
    else {
      const m = /^(?:([\w.-]+):)?([\w.-]+)$/.exec(p);
      if (!m) throw new Error(`XPath "${expr}": unsupported step "${p}"`);
      const ns = m[1] === undefined ? '' : namespaces[m[1]];
      if (ns === undefined) throw new Error(`XPath "${expr}": prefix "${m[1]}" is not declared in namespaces`);
      steps.push({ descendant, name: { ns, local: m[2]! } });
    }
    descendant = false;
  }
  return { steps, text };
}

function matches(n: XmlNode, s: Step): boolean {
  return !s.name || (n.local === s.name.local && n.ns === s.name.ns);
}

function collect(n: XmlNode, s: Step, out: XmlNode[]): void {
  for (const c of n.children) {
    if (matches(c, s)) out.push(c);
    if (s.descendant) collect(c, s, out);
  }
}

function stringValue(n: XmlNode): string {
  return n.text + n.children.map(stringValue).join('');
}

/** String value of the first selected node (document order), or undefined when none matches. */
export function selectXml(root: XmlNode, x: CompiledXPath): string | undefined {
  let nodes: XmlNode[] = [{ ns: '', local: '#document', children: [root], text: '', scope: {} }];
  for (const s of x.steps) {
    const next: XmlNode[] = [];
    for (const n of nodes) collect(n, s, next);
    nodes = next;
    if (nodes.length === 0) return undefined;
  }
  const first = nodes[0];
  if (!first) return undefined;
  return x.text ? first.text : stringValue(first);
}
