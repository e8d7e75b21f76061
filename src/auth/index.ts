import type { Logger } from 'pino';
import type { AuthConfig, TlsConfig } from '../config/endpoint-schema';
import { tlsConnectOptions } from '../endpoints/leaf/http';
import type { BackendAuth } from './backend-auth';
import { BasicAuth } from './basic';
import { DigestAuth } from './digest';
import { NtlmAuth } from './ntlm';
import { OAuth2ClientCredentials } from './oauth2';
import { WsSecurityAuth } from './ws-security';

export type { BackendAuth, AuthTarget, Dispatch } from './backend-auth';

export interface BackendAuthDeps {
  readonly log: Logger;
  /** Resolves file paths in the config (TLS material for NTLM's own connections). */
  resolvePath(p: string): string;
  /** Bodies up to this size are buffered so a challenge or token retry can re-send them. */
  readonly maxReplayBytes: number;
  /** server.limits.maxBodyBytes: WS-Security buffers whole envelopes up to this (default 10 MiB). */
  readonly maxBodyBytes?: number;
  /** The leaf's name, its TLS settings, timeouts and pool size: NTLM opens its own connections. */
  readonly endpoint?: string;
  readonly tls?: TlsConfig;
  readonly connectTimeoutMs?: number;
  readonly responseTimeoutMs?: number;
  readonly connections?: number;
}

/**
 * Builds the backend authentication of one leaf from its `auth` config. Call it once per leaf
 * (instances keep per-backend state: Digest nonces, OAuth2 tokens, NTLM connections) and let
 * the leaf's close() close it. Credentials stay inside the returned object: nothing here logs
 * them, and errors it throws never contain them.
 *
 * @example
 * const auth = createBackendAuth({ type: 'digest', username: 'svc', password: process.env.PW! }, { log, resolvePath, maxReplayBytes: 1 << 20 });
 * const leaf = new HttpEndpoint({ name: 'calc', url, connectTimeoutMs: 5000, responseTimeoutMs: 30000, connections: 16, auth });
 */
export function createBackendAuth(config: AuthConfig, deps: BackendAuthDeps): BackendAuth {
  switch (config.type) {
    case 'basic':
      return new BasicAuth(config.username, config.password);
    case 'digest':
      return new DigestAuth({ username: config.username, password: config.password, maxReplayBytes: config.maxReplayBytes ?? deps.maxReplayBytes });
    case 'oauth2':
      return new OAuth2ClientCredentials({
        tokenUrl: config.tokenUrl,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        ...(config.scopes ? { scopes: config.scopes } : {}),
        maxReplayBytes: deps.maxReplayBytes,
      });
    case 'wsSecurity':
      return new WsSecurityAuth({
        username: config.username,
        password: config.password,
        passwordType: config.passwordType ?? 'PasswordText',
        maxEnvelopeBytes: deps.maxBodyBytes ?? 10 * 1024 * 1024,
      });
    case 'ntlm':
      return new NtlmAuth({
        username: config.username,
        password: config.password,
        ...(config.domain !== undefined ? { domain: config.domain } : {}),
        ...(config.workstation !== undefined ? { workstation: config.workstation } : {}),
        maxReplayBytes: deps.maxReplayBytes,
        connections: deps.connections ?? 4,
        connectTimeoutMs: deps.connectTimeoutMs ?? 5_000,
        responseTimeoutMs: deps.responseTimeoutMs ?? 60_000,
        tls: tlsConnectOptions(deps.tls, (p) => deps.resolvePath(p)),
        ...(deps.endpoint !== undefined ? { endpoint: deps.endpoint } : {}),
      });
  }
}
