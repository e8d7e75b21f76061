import { z } from 'zod';
import { endpointSchema, authSchema, tlsSchema, timeoutSchema } from './endpoint-schema';

/** `config/soapbridge.yaml` */
export const serverConfigSchema = z.strictObject({
  server: z.strictObject({
    http: z.strictObject({ host: z.string().default('0.0.0.0'), port: z.coerce.number().int().min(0).max(65535) }).optional(),
    https: z
      .strictObject({ host: z.string().default('0.0.0.0'), port: z.coerce.number().int().min(0).max(65535), cert: z.string(), key: z.string() })
      .optional(),
    publicUrl: z.strictObject({ http: z.string().url().optional(), https: z.string().url().optional() }).optional(),
    limits: z
      .strictObject({
        maxBodyBytes: z.number().int().positive().default(10 * 1024 * 1024),
        /** Bodies up to this size are buffered so a group can re-send them. */
        maxReplayBytes: z.number().int().min(0).default(1024 * 1024),
      })
      .default({ maxBodyBytes: 10 * 1024 * 1024, maxReplayBytes: 1024 * 1024 }),
    /** How long SIGTERM waits for requests in flight before closing them. */
    shutdownGraceMs: z.number().int().min(0).default(10000),
    /** Keep-alive sockets per backend origin. */
    backendConnections: z.number().int().positive().default(128),
  }),
  admin: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.coerce.number().int().min(0).max(65535),
      /** Bearer token of the admin API; without one only /healthz and /metrics are served. */
      token: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16, 'at least 16 characters').optional()),
    })
    .optional(),
  apis: z.string().default('apis'),
  logging: z
    .strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), requests: z.boolean().default(true) })
    .default({ level: 'info', requests: true }),
  /** DEMO ONLY: in-process backends so the README's curls work with nothing else running. */
  demo: z.strictObject({ enabled: z.boolean(), host: z.string().default('127.0.0.1'), port: z.coerce.number().int().min(0).max(65535) }).optional(),
});

const contextSchema = z.string().regex(/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/, 'a path like /calculator (letters, digits, ._~-)');

export const resourceSchema = z.strictObject({
  path: z.string().regex(/^\//, 'a URI template starting with /'),
  methods: z.array(z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])).min(1),
  idempotent: z.boolean().optional(),
});

export const lifecycleStates = ['CREATED', 'PROTOTYPED', 'PUBLISHED', 'BLOCKED', 'DEPRECATED', 'RETIRED'] as const;

/** `config/apis/<name>.yaml` */
export const apiConfigSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'a name of letters, digits, - and _'),
  context: contextSchema,
  version: z.string().regex(/^[A-Za-z0-9._-]+$/, 'a version like v1'),
  state: z.enum(lifecycleStates).default('PUBLISHED'),
  description: z.string().optional(),
  wsdl: z.string().optional(),
  expose: z.strictObject({ soap: z.boolean().default(false), rest: z.boolean().default(false) }).optional(),
  resources: z.array(resourceSchema).optional(),
  operations: z.record(z.string(), z.strictObject({ idempotent: z.boolean().optional() })).optional(),
  endpoints: z.strictObject({ production: endpointSchema.optional(), sandbox: endpointSchema.optional() }),
  timeout: timeoutSchema.optional(),
  auth: authSchema.optional(),
  tls: tlsSchema.optional(),
  /** Map of backend SOAP fault side to HTTP status for the REST facade. */
  /** REST facade: which WSDL port it speaks to, and request limits. */
  facade: z
    .strictObject({
      port: z.string().min(1).optional(),
      maxArrayItems: z.number().int().positive().optional(),
      maxDepth: z.number().int().min(2).max(1000).optional(),
    })
    .optional(),
  faultStatus: z.strictObject({ client: z.number().int().min(400).max(599).optional(), server: z.number().int().min(400).max(599).optional() }).optional(),
  apiKeys: z
    .strictObject({
      header: z.string().default('apikey'),
      keys: z.array(z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/), type: z.enum(['production', 'sandbox']) })),
    })
    .optional(),
});

export type ServerConfigInput = z.input<typeof serverConfigSchema>;
export type ServerConfig = z.output<typeof serverConfigSchema>;
export type ApiConfig = z.output<typeof apiConfigSchema>;
export type ResourceConfig = z.output<typeof resourceSchema>;

/** The whole, validated, deep-frozen configuration the runtime receives. */
export interface BridgeConfig {
  readonly file: string;
  /** Directory paths in the config are resolved against. */
  readonly baseDir: string;
  readonly server: ServerConfig['server'];
  readonly admin: ServerConfig['admin'];
  readonly logging: ServerConfig['logging'];
  readonly demo: ServerConfig['demo'];
  readonly apisDir: string;
  readonly apis: readonly LoadedApi[];
}

export interface LoadedApi {
  readonly file: string;
  readonly config: ApiConfig;
}
