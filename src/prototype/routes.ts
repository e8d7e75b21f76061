import { compileResource, ResourceTable } from '../rest/resource-matcher';
import type { PrototypeConfig } from '../config/endpoint-schema';

/**
 * What a prototype holds for one key of `responses`/`implementations`: `"GET /cities/{city}"`
 * (a REST resource: method + URI template) or a SOAP operation name (`"Add"`).
 */
export type StaticResponse = NonNullable<PrototypeConfig['responses']>[string];

export interface RouteEntry {
  readonly key: string;
  readonly implementation: string | null;
  readonly response: StaticResponse | null;
}

export type RouteHit = { readonly entry: RouteEntry; readonly uriVars: Readonly<Record<string, string>> };

const REST_KEY = /^([A-Za-z]+)\s+(\/\S*)$/;

export class PrototypeRoutes {
  private readonly operations = new Map<string, RouteEntry>();
  private readonly resources: ResourceTable<RouteEntry>;

  constructor(cfg: Pick<PrototypeConfig, 'responses' | 'implementations'>) {
    const keys = new Set([...Object.keys(cfg.responses ?? {}), ...Object.keys(cfg.implementations ?? {})]);
    const compiled = [];
    for (const key of keys) {
      const entry: RouteEntry = { key, implementation: cfg.implementations?.[key] ?? null, response: cfg.responses?.[key] ?? null };
      const rest = REST_KEY.exec(key.trim());
      if (rest) compiled.push(compileResource((rest[2] as string), [(rest[1] as string).toUpperCase()], entry));
      else this.operations.set(key.trim(), entry);
    }
    this.resources = new ResourceTable(compiled);
  }

  /** The keys that name SOAP operations (not `METHOD /path`). */
  operationKeys(): string[] {
    return [...this.operations.keys()];
  }

  /** A SOAP operation by name, else a resource by method and path. */
  find(method: string, path: string, operation: string | undefined): RouteHit | null {
    if (operation !== undefined) {
      const entry = this.operations.get(operation);
      if (entry) return { entry, uriVars: {} };
    }
    const m = this.resources.match(method.toUpperCase(), path);
    return m.kind === 'match' ? { entry: m.resource.data, uriVars: m.uriVars } : null;
  }
}
