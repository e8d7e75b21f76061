import { ConfigError, type ConfigProblem } from '../config/problems';
import type { WsdlModel } from '../wsdl/model';

const LISTED = 12;

/**
 * Why `key` names no operation of the model: where several portTypes share the name, the keys
 * to use instead (Operation.key, e.g. "FlightInfoPortType.service"); else the keys there are.
 */
export function unknownOperationKey(model: WsdlModel, key: string): string {
  const shared = [...new Set(model.operations.filter((o) => o.name === key).map((o) => o.key))];
  if (shared.length > 0) return `several portTypes have an operation "${key}": name one of ${shared.join(', ')}`;
  const keys = [...new Set(model.operations.map((o) => o.key))];
  const listed = keys.slice(0, LISTED).join(', ') + (keys.length > LISTED ? `, … (${keys.length} in all)` : '');
  return `the WSDL has no operation "${key}" (its operations: ${listed || 'none'})`;
}

/**
 * The API's `operations:` keys must name operations of its WSDL: a misspelt or shared name
 * would otherwise be ignored in silence (an operation never retried that the user marked
 * idempotent). A config error like any other: the bridge refuses it, a reload keeps the last good.
 */
export function checkOperationKeys(file: string, operations: Record<string, unknown> | undefined, model: WsdlModel | null): void {
  const configured = Object.keys(operations ?? {});
  if (configured.length === 0) return;
  const keys = new Set(model?.operations.map((o) => o.key));
  const problems: ConfigProblem[] = [];
  for (const k of configured) {
    if (keys.has(k)) continue;
    problems.push({ file, path: `operations.${k}`, message: model ? unknownOperationKey(model, k) : 'only an API with a "wsdl" has operations (REST resources take "idempotent" themselves)' });
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
