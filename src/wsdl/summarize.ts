import type { WsdlModel } from './model';
import { qnLocal } from './qname';
import { isCallableAddress } from './address';

/**
 * A human summary for `soapbridge import`: what was found, then every unsupported construct
 * (grouped, with the first place it occurs).
 *
 * @example console.log(summarize(compileModel(bundle)));
 */
export function summarize(model: WsdlModel): string {
  const ports = model.services.flatMap((s) => s.ports.map((p) => ({ service: s, port: p })));
  const versions = [...new Set(model.operations.map((o) => o.soapVersion))].sort();
  const lines = [
    `WSDL ${model.wsdlVersion} ${model.entry} (targetNamespace ${model.targetNamespace || '(none)'})`,
    `services: ${model.services.length}, ${model.wsdlVersion === '2.0' ? 'endpoints' : 'ports'}: ${ports.length}, operations: ${model.operations.length}, SOAP versions: ${versions.join(', ') || 'none'}`,
  ];
  for (const { service, port } of ports) {
    const ops = model.operations.filter((o) => o.service === service.name && o.port === port.name);
    const kind = port.soapVersion ? `SOAP ${port.soapVersion}` : (port.protocol ?? 'no binding');
    const unusable = port.soapVersion && port.address && !isCallableAddress(port.address) ? ' (not an http(s) URL: the bridge cannot call it)' : '';
    lines.push(`  ${qnLocal(service.name)}/${port.name} [${kind}] ${port.address ?? '(no address)'}${unusable}: ${ops.length} operations`);
  }
  const unbound = model.operations.filter((o) => o.port === null);
  if (unbound.length > 0) lines.push(`  (no service ${model.wsdlVersion === '2.0' ? 'endpoint' : 'port'}) ${unbound.length} operations in bindings without a${model.wsdlVersion === '2.0' ? 'n endpoint' : ' port'}`);
  // Their facade paths, metrics labels and config keys are these names, not the WSDL's.
  const qualified = [...new Set(model.operations.filter((o) => o.key !== o.name).map((o) => o.key))];
  if (qualified.length > 0) {
    const listed = qualified.slice(0, 6).join(', ') + (qualified.length > 6 ? ', …' : '');
    lines.push(`operations of several portTypes share a name, so each is named PortType.name (${qualified.length}): ${listed}`);
  }
  if (model.unsupported.length > 0) {
    const groups = new Map<string, { count: number; where: string }>();
    for (const u of model.unsupported) {
      // Namespaces only: local names say what is affected (which message, which extension), and
      // the `{ns}` of a name is what makes otherwise identical lines long and different.
      const key = u.construct.replace(/\{[^}]*\}/g, '{…}');
      const g = groups.get(key);
      if (g) g.count++;
      else groups.set(key, { count: 1, where: u.where });
    }
    lines.push(`unsupported constructs (${model.unsupported.length}):`);
    for (const [construct, g] of groups) lines.push(`  ${construct}${g.count > 1 ? ` ×${g.count}` : ''} (first at ${g.where})`);
  }
  return lines.join('\n');
}
