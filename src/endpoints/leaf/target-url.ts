import type { BackendRequest } from '../endpoint';
import { compileTemplate, type UriTemplate } from '../../rest/uri-template';

/** Where one backend request goes: the origin to dispatch to and the path (with query) to ask for. */
export interface Target {
  origin: string;
  path: string;
}

/**
 * A leaf's backend URL: a plain base URL (the request path and query appended, unless it is a
 * SOAP address used as is) or an RFC 6570 template expanded with the request's variables.
 */
export class TargetUrl {
  private readonly template: UriTemplate;
  private readonly base?: { origin: string; path: string; query: string };

  constructor(
    url: string,
    /** false for SOAP addresses: the URL is used as is, never extended by the request path. */
    private readonly appendPath: boolean | undefined,
  ) {
    // SOAP addresses are used as written (WSDLs ship addresses like https://{{SERVER}}/x that
    // are not templates); only http endpoints are RFC 6570 templates.
    this.template = appendPath === false ? { source: url, hasExpressions: false, variables: [], expand: () => url } : compileTemplate(url);
    if (!this.template.hasExpressions) {
      const u = new URL(url);
      this.base = { origin: u.origin, path: u.pathname.replace(/\/$/, ''), query: u.search.slice(1) };
    }
  }

  /** The backend origin and path for this request. */
  of(req: BackendRequest): Target {
    if (this.base) {
      const { origin, path, query } = this.base;
      // A SOAP address is the whole target: the caller's path and query are not the backend's
      // (but for an HTTP binding operation, whose location is relative to the address).
      if (this.appendPath === false && !req.httpBinding) return { origin, path: (path || '/') + (query ? `?${query}` : '') };
      const q = [query, req.query].filter(Boolean).join('&');
      return { origin, path: path + req.path + (q ? `?${q}` : '') };
    }
    const vars: Record<string, string> = {};
    for (const k in req.uriVars) vars[`uri.var.${k}`] = req.uriVars[k]!;
    for (const k in req.queryParams) vars[`query.param.${k}`] = req.queryParams[k]!;
    const url = this.template.expand(vars);
    const slash = url.indexOf('/', url.indexOf('://') + 3);
    return slash === -1 ? { origin: url, path: '/' } : { origin: url.slice(0, slash), path: url.slice(slash) };
  }
}
