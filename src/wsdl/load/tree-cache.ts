import type { XmlElement } from '../xml/parse-xml';
import type { WsdlBundle } from './types';

/**
 * loadBundle has to parse every document to find its imports; compileModel needs the same trees.
 * Keeping them beside the bundle (not in it: the bundle stays plain data) saves a second parse
 * of large WSDLs. Bundles built by hand simply miss the cache and get parsed.
 */
const trees = new WeakMap<WsdlBundle, Map<string, XmlElement>>();

export function rememberTrees(bundle: WsdlBundle, byPath: Map<string, XmlElement>): void {
  trees.set(bundle, byPath);
}

export function cachedTree(bundle: WsdlBundle, docPath: string): XmlElement | undefined {
  return trees.get(bundle)?.get(docPath);
}
