import pino from 'pino';
import { Agent, request, type Dispatcher } from 'undici';
import { createBackendAuth } from '../auth';
import type { BackendAuth } from '../auth/backend-auth';
import { authSchema, tlsSchema, type AuthConfig, type TlsConfig } from '../config/endpoint-schema';
import type { BackendRequest, BackendResponse, CallContext } from '../endpoints/endpoint';
import { isPem, tlsConnectOptions } from '../endpoints/leaf/tls-options';
import { isHttpUrl } from '../wsdl/index';
import { plainHop, type HopFetcher } from '../wsdl/load/fetch-url';

/**
 * Credentials for fetching a WSDL from a protected URL (SAP NetWeaver wants Basic for `?wsdl`,
 * Dynamics NAV/BC NTLM, some gateways an OAuth2 token): the same `auth` shapes as an endpoint's,
 * minus WS-Security, which lives in a SOAP envelope and has nothing to say to a GET.
 */
export const sourceAuthSchema = authSchema.refine((a) => a.type !== 'wsSecurity', { message: 'wsSecurity authenticates SOAP envelopes, not a WSDL download: use basic, digest, ntlm or oauth2' });
export type SourceAuth = AuthConfig;

/**
 * TLS for a protected source given through the admin API: a private CA and a client certificate
 * as PEM text. Never file paths: a caller of the admin API must not make the bridge read its
 * own disk (the CLI, run by someone on that machine, takes files).
 */
export const sourceTlsSchema = tlsSchema.superRefine((tls, ctx) => {
  for (const k of ['ca', 'cert', 'key'] as const) {
    const v = tls[k];
    if (v !== undefined && !isPem(v)) ctx.addIssue({ code: 'custom', path: [k], message: 'PEM text ("-----BEGIN ..."), not a file path' });
  }
  if ((tls.cert === undefined) !== (tls.key === undefined)) ctx.addIssue({ code: 'custom', path: [tls.cert === undefined ? 'cert' : 'key'], message: 'a client certificate needs both cert and key' });
});

/** How to reach a protected source URL: credentials and/or TLS settings (private CA, client certificate). */
export interface SourceAccess {
  readonly auth?: SourceAuth;
  readonly tls?: TlsConfig;
}

const silent = pino({ level: 'silent' });

/**
 * A hop fetcher that uses `access` for the origin of `sourceUrl` only: documents on other hosts
 * (remote imports, a redirect elsewhere) are fetched anonymously with the default trust store, so
 * credentials and client certificates never leave for a server the user did not name, and a
 * private CA does not replace the public ones for them. Authentication is the backends' own
 * (Digest challenges, NTLM handshakes on a kept connection, OAuth2 tokens). close() when done.
 */
export function sourceHop(sourceUrl: string, access: SourceAccess, timeoutMs: number): { hop: HopFetcher; close(): Promise<void> } {
  const origin = new URL(sourceUrl).origin;
  const agent = access.tls ? new Agent({ connect: { timeout: timeoutMs, ...tlsConnectOptions(access.tls) }, connections: 1 }) : undefined;
  const auth = access.auth ? backendAuthFor(access.auth, access.tls, timeoutMs) : undefined;
  const hop: HopFetcher = async (url, headers, signal, hopTimeoutMs) => {
    const u = new URL(url);
    if (u.origin !== origin) return plainHop(url, headers, signal, hopTimeoutMs);
    const send = async (h: BackendRequest['headers']): Promise<Dispatcher.ResponseData> =>
      request(url, { method: 'GET', headers: h, signal, headersTimeout: hopTimeoutMs, bodyTimeout: hopTimeoutMs, ...(agent ? { dispatcher: agent } : {}) });
    if (!auth) return send(headers);
    const req: BackendRequest = { method: 'GET', path: u.pathname, query: u.search.slice(1), uriVars: {}, queryParams: {}, headers, body: null, idempotent: true };
    const dispatch = async (r: BackendRequest): Promise<BackendResponse> => {
      const res = await send(r.headers);
      return { status: res.statusCode, headers: res.headers as BackendResponse['headers'], body: res.body, endpoint: 'wsdl source' };
    };
    const ctx: CallContext = { requestId: 'import', api: 'import', log: silent, signal, clientIp: '127.0.0.1', proto: u.protocol === 'https:' ? 'https' : 'http', host: u.host };
    const res = await auth.execute(req, { origin, path: `${u.pathname}${u.search}` }, dispatch, ctx);
    return { statusCode: res.status, headers: res.headers, body: res.body };
  };
  return {
    hop,
    close: async () => {
      await auth?.close?.();
      await agent?.close();
    },
  };
}

function backendAuthFor(auth: SourceAuth, tls: TlsConfig | undefined, timeoutMs: number): BackendAuth {
  return createBackendAuth(auth, {
    log: silent,
    resolvePath: (p) => p,
    maxReplayBytes: 0, // GETs: nothing to replay
    endpoint: 'wsdl source',
    connectTimeoutMs: timeoutMs,
    responseTimeoutMs: timeoutMs,
    connections: 1,
    ...(tls ? { tls } : {}), // NTLM opens its own connections
  });
}

/**
 * `https://user:secret@host/x?wsdl` → the URL without its user info, and Basic credentials from
 * it (unless `auth` is given). The bare URL is what progress, errors and the bundle ever show.
 */
export function splitUserinfo(source: string, auth: SourceAuth | undefined): { source: string; auth: SourceAuth | undefined } {
  if (!isHttpUrl(source)) return { source, auth };
  const u = new URL(source);
  if (u.username === '' && u.password === '') return { source, auth };
  const basic: SourceAuth = { type: 'basic', username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
  u.username = '';
  u.password = '';
  return { source: u.href, auth: auth ?? basic };
}
