import { z } from 'zod';

/**
 * Endpoint configuration: leaves (http, soap, wsdl, prototype) and groups (failover,
 * loadbalance, dynamic) that nest. Unknown keys are rejected everywhere.
 */
export const timeoutSchema = z.strictObject({
  /** Time to the first response byte (headers). */
  ms: z.number().int().positive().optional(),
  /** TCP+TLS connect time. */
  connectMs: z.number().int().positive().optional(),
});

export const suspensionSchema = z.strictObject({
  initialMs: z.number().int().min(0).optional(),
  progressionFactor: z.number().min(1).optional(),
  maxMs: z.number().int().min(0).optional(),
  retriesBeforeSuspension: z.number().int().min(0).optional(),
});

export const failoverOnSchema = z.strictObject({
  status: z.array(z.number().int().min(100).max(599)).optional(),
  soapFault: z.array(z.string().min(1)).optional(),
});

export const tlsSchema = z.strictObject({
  verifyHostname: z.enum(['strict', 'allowAll']).optional(),
  ca: z.string().optional(),
  cert: z.string().optional(),
  key: z.string().optional(),
  passphrase: z.string().optional(),
  minVersion: z.enum(['TLSv1.2', 'TLSv1.3']).optional(),
});

export const authSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('basic'), username: z.string(), password: z.string() }),
  z.strictObject({
    type: z.literal('digest'),
    username: z.string(),
    password: z.string(),
    maxReplayBytes: z.number().int().positive().optional(),
  }),
  z.strictObject({ type: z.literal('ntlm'), username: z.string(), password: z.string(), domain: z.string().optional(), workstation: z.string().optional() }),
  z.strictObject({
    type: z.literal('oauth2'),
    tokenUrl: z.string().url(),
    clientId: z.string(),
    clientSecret: z.string(),
    scopes: z.array(z.string()).optional(),
  }),
  z.strictObject({ type: z.literal('wsSecurity'), username: z.string(), password: z.string(), passwordType: z.enum(['PasswordText', 'PasswordDigest']).optional() }),
]);

export const healthCheckSchema = z.strictObject({
  intervalMs: z.number().int().positive(),
  timeoutMs: z.number().int().positive().optional(),
  path: z.string().optional(),
  soapEnvelope: z.string().optional(),
  soapAction: z.string().optional(),
});

const leafCommon = {
  name: z.string().min(1).optional(),
  timeout: timeoutSchema.optional(),
  suspension: suspensionSchema.optional(),
  healthCheck: healthCheckSchema.optional(),
  auth: authSchema.optional(),
  tls: tlsSchema.optional(),
  /** Load-balance weight (weightedRoundRobin). */
  weight: z.number().int().positive().optional(),
};

export const httpLeafSchema = z.strictObject({ type: z.literal('http'), url: z.string().min(1), ...leafCommon });
export const soapLeafSchema = z.strictObject({
  type: z.literal('soap'),
  url: z.string().min(1),
  soapVersion: z.enum(['1.1', '1.2']).optional(),
  ...leafCommon,
});
export const wsdlLeafSchema = z.strictObject({ type: z.literal('wsdl'), service: z.string().optional(), port: z.string().optional(), ...leafCommon });

const staticResponseSchema = z.strictObject({
  status: z.number().int().min(100).max(599).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
});
export const prototypeSchema = z.strictObject({
  type: z.literal('prototype'),
  name: z.string().min(1).optional(),
  /** key: "GET /cities/{city}" for REST resources, or a SOAP operation name. */
  responses: z.record(z.string(), staticResponseSchema).optional(),
  implementations: z.record(z.string(), z.string()).optional(),
  /** SOAP operations without a static response or implementation answer a generated envelope (default true). */
  generate: z.boolean().optional(),
  /** Sandbox limits of the implementations. */
  script: z
    .strictObject({
      /** Time one run may take (CPU and wall clock are the same here); default 100. */
      timeoutMs: z.number().int().min(1).max(10_000).optional(),
      /** QuickJS heap; default 32 MiB. */
      memoryBytes: z.number().int().min(1_048_576).max(1_073_741_824).optional(),
      /** QuickJS stack; default 256 KiB (much more overflows the host's own stack first). */
      stackBytes: z.number().int().min(65_536).max(1_048_576).optional(),
      /** Longest request body handed to a script; default 1 MiB (413 beyond). */
      maxBodyBytes: z.number().int().min(0).optional(),
    })
    .optional(),
  weight: z.number().int().positive().optional(),
});

export type HttpLeafConfig = z.infer<typeof httpLeafSchema>;
export type SoapLeafConfig = z.infer<typeof soapLeafSchema>;
export type WsdlLeafConfig = z.infer<typeof wsdlLeafSchema>;
export type PrototypeConfig = z.infer<typeof prototypeSchema>;
export type AuthConfig = z.infer<typeof authSchema>;
export type TlsConfig = z.infer<typeof tlsSchema>;
export type SuspensionConfig = z.infer<typeof suspensionSchema>;
export type TimeoutConfig = z.infer<typeof timeoutSchema>;
export type FailoverOnConfig = z.infer<typeof failoverOnSchema>;
export type HealthCheckConfig = z.infer<typeof healthCheckSchema>;

export interface FailoverConfig {
  type: 'failover';
  name?: string;
  members: EndpointConfig[];
  sticky?: boolean;
  failoverOn?: FailoverOnConfig;
  maxReplayBytes?: number;
  auth?: AuthConfig;
  tls?: TlsConfig;
  weight?: number;
}
export interface LoadBalanceConfig {
  type: 'loadbalance';
  name?: string;
  algorithm?: 'roundRobin' | 'weightedRoundRobin' | 'leastConnections';
  members: EndpointConfig[];
  failoverOn?: FailoverOnConfig;
  maxReplayBytes?: number;
  affinity?: { cookie?: string; header?: string; timeoutMs?: number };
  auth?: AuthConfig;
  tls?: TlsConfig;
  weight?: number;
}
export interface DynamicRuleConfig {
  header?: string;
  query?: string;
  uriVar?: string;
  jsonPath?: string;
  xpath?: string;
  namespaces?: Record<string, string>;
  equals?: string;
  matches?: string;
  endpoint: EndpointConfig;
}
export interface DynamicConfig {
  type: 'dynamic';
  name?: string;
  rules: DynamicRuleConfig[];
  default?: EndpointConfig;
  auth?: AuthConfig;
  tls?: TlsConfig;
  weight?: number;
}
export type EndpointConfig =
  | HttpLeafConfig
  | SoapLeafConfig
  | WsdlLeafConfig
  | PrototypeConfig
  | FailoverConfig
  | LoadBalanceConfig
  | DynamicConfig;

const groupCommon = {
  name: z.string().min(1).optional(),
  auth: authSchema.optional(),
  tls: tlsSchema.optional(),
  weight: z.number().int().positive().optional(),
};

export const endpointSchema: z.ZodType<EndpointConfig> = z.lazy(() =>
  z.discriminatedUnion('type', [
    httpLeafSchema,
    soapLeafSchema,
    wsdlLeafSchema,
    prototypeSchema,
    z.strictObject({
      type: z.literal('failover'),
      members: z.array(endpointSchema).min(1),
      sticky: z.boolean().optional(),
      failoverOn: failoverOnSchema.optional(),
      maxReplayBytes: z.number().int().min(0).optional(),
      ...groupCommon,
    }),
    z.strictObject({
      type: z.literal('loadbalance'),
      algorithm: z.enum(['roundRobin', 'weightedRoundRobin', 'leastConnections']).optional(),
      members: z.array(endpointSchema).min(1),
      failoverOn: failoverOnSchema.optional(),
      maxReplayBytes: z.number().int().min(0).optional(),
      affinity: z
        .strictObject({ cookie: z.string().optional(), header: z.string().optional(), timeoutMs: z.number().int().positive().optional() })
        .optional(),
      ...groupCommon,
    }),
    z.strictObject({
      type: z.literal('dynamic'),
      rules: z.array(
        z.strictObject({
          header: z.string().optional(),
          query: z.string().optional(),
          uriVar: z.string().optional(),
          jsonPath: z.string().optional(),
          xpath: z.string().optional(),
          namespaces: z.record(z.string(), z.string()).optional(),
          equals: z.string().optional(),
          matches: z.string().optional(),
          endpoint: endpointSchema,
        }),
      ),
      default: endpointSchema.optional(),
      ...groupCommon,
    }),
  ]),
);
