import type { WsdlModel } from '../wsdl/model';

/** One operation of a WSDL HTTP binding: `verb {http:address}{location}`. */
export interface HttpBindingRoute {
  readonly verb: string;
  /** As written in `http:operation/@location`: `/GetWeather`, or with `(part)` for urlReplacement. */
  readonly location: string;
}

export type HttpBindingMatch = { readonly route: HttpBindingRoute } | { readonly allowed: readonly string[] };

/**
 * The HTTP GET/POST bindings of a WSDL (ASMX services publish `…HttpGet` and `…HttpPost` ports
 * beside their SOAP ones): the bridge rewrites their http:address to its own URL like every
 * address, so it must answer at `{mount}{location}` too. A match is sent through the API's
 * endpoint to its URL + the same location and query, as WSO2 passes a path suffix on; the
 * body (form-encoded, or none for GET) and the answer go through unchanged.
 */
export class HttpBindingRoutes {
  private constructor(private readonly routes: readonly { route: HttpBindingRoute; pattern: RegExp }[]) {}

  /** null when no port of the WSDL uses an HTTP binding (then `bindings` is never read). */
  static of(model: WsdlModel): HttpBindingRoutes | null {
    const names = new Set<string>();
    for (const s of model.services) for (const p of s.ports) if (p.protocol === 'http' && p.binding !== null) names.add(p.binding);
    if (names.size === 0) return null;
    const routes: { route: HttpBindingRoute; pattern: RegExp }[] = [];
    const seen = new Set<string>();
    for (const b of model.bindings) {
      if (b.protocol !== 'http' || !names.has(b.name)) continue;
      const verb = b.httpVerb ?? 'GET';
      for (const op of b.operations) {
        if (op.httpLocation === undefined) continue;
        const location = op.httpLocation.startsWith('/') ? op.httpLocation : `/${op.httpLocation}`;
        if (seen.has(`${verb} ${location}`)) continue;
        seen.add(`${verb} ${location}`);
        routes.push({ route: { verb, location }, pattern: locationPattern(location) });
      }
    }
    return routes.length > 0 ? new HttpBindingRoutes(routes) : null;
  }

  /** Every route, in WSDL order (one per verb and location). */
  list(): HttpBindingRoute[] {
    return this.routes.map((r) => r.route);
  }

  /** The route for `method path` (path after the API's mount); `allowed` when only the verb differs. */
  match(method: string, path: string): HttpBindingMatch | undefined {
    let allowed: string[] | undefined;
    for (const r of this.routes) {
      if (!r.pattern.test(path)) continue;
      if (r.route.verb === method || (method === 'HEAD' && r.route.verb === 'GET')) return { route: r.route };
      (allowed ??= []).push(r.route.verb);
    }
    return allowed ? { allowed } : undefined;
  }
}

/** `/GetWeather` matches itself; `/Weather/(city)` (http:urlReplacement) any one segment there. */
function locationPattern(location: string): RegExp {
  const parts = location.split(/\(([^)]*)\)/);
  let source = '';
  for (let i = 0; i < parts.length; i++) source += i % 2 === 0 ? (parts[i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : '[^/]+';
  return new RegExp(`^${source}$`);
}
