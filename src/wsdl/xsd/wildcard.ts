/**
 * Whether the namespace constraint of an XSD wildcard (`<any namespace="…">`: `##any`, `##other`, `##local`, `##targetNamespace`
 * or a list of URIs) admits an element of namespace `ns` (`''`: no namespace). The compiled
 * wildcard does not keep its schema's target namespace, so `##other` is read as "any namespace"
 * and `##targetNamespace` as none; good enough to pick a sample element, never to validate.
 */
export function wildcardAllows(constraint: string, ns: string): boolean {
  const allowed = constraint.trim().split(/\s+/);
  return allowed.includes('##any') || (allowed.includes('##other') && ns !== '') || (allowed.includes('##local') && ns === '') || (ns !== '' && allowed.includes(ns));
}
