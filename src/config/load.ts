import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { apiConfigSchema, serverConfigSchema, type ApiConfig, type BridgeConfig, type LoadedApi, type ServerConfig } from './schema';
import { ConfigError, type ConfigProblem, keyPath } from './problems';
import { interpolateEnv, readYamlFile, type YamlFile } from './yaml-file';
import { deepFreeze } from './freeze';
import { checkApi } from './check-api';

export const DEFAULT_CONFIG_FILE = 'config/soapbridge.yaml';

/**
 * Loads `soapbridge.yaml` and every API file beside it, validates everything against one
 * schema, collects every problem (file, key path, line, what was expected) and throws one
 * ConfigError with all of them, or returns a typed, deep-frozen config.
 */
export function loadConfig(file: string = DEFAULT_CONFIG_FILE, env: NodeJS.ProcessEnv = process.env): BridgeConfig {
  const problems: ConfigProblem[] = [];
  const absFile = path.resolve(file);
  const baseDir = path.dirname(absFile);
  const server = parseFile(absFile, serverConfigSchema, env, problems);
  if (!server && !existsSync(absFile)) {
    // Nothing else to report: the API folder is relative to this file.
    throw new ConfigError([{ file: absFile, path: '', message: 'file not found (run soapbridge in the folder that holds config/soapbridge.yaml, or pass --config FILE)' }]);
  }
  // Even when soapbridge.yaml is invalid, check the API files too (in the default folder then),
  // so one run reports every problem.
  const apisDir = path.resolve(baseDir, server?.apis ?? 'apis');
  const apis: LoadedApi[] = [];
  if (!existsSync(apisDir)) {
    if (server) problems.push({ file: absFile, path: 'apis', message: `directory ${apisDir} does not exist` });
  } else {
    for (const f of readdirSync(apisDir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
      const apiFile = path.join(apisDir, f);
      const api = loadApiFile(apiFile, env, problems);
      if (api) apis.push({ file: apiFile, config: api });
    }
  }
  checkAcrossApis(apis, problems);
  if (!server) throw new ConfigError(problems);
  checkServer(absFile, server, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze({
    file: absFile,
    baseDir,
    server: server.server,
    admin: server.admin,
    logging: server.logging,
    demo: server.demo,
    apisDir,
    apis,
  }) as BridgeConfig;
}

/** Validates one API file on its own (used by the loader, import and the admin API). */
export function loadApiFile(apiFile: string, env: NodeJS.ProcessEnv, problems: ConfigProblem[]): ApiConfig | undefined {
  const before = problems.length;
  let yaml: YamlFile | undefined;
  const api = parseFile(apiFile, apiConfigSchema, env, problems, (y) => (yaml = y));
  if (!api) return undefined;
  const checked: ConfigProblem[] = [];
  checkApi(apiFile, api, checked);
  // checkApi works on the parsed value; give its problems the line of their key path too.
  for (const p of checked) problems.push(p.line === undefined && yaml ? { ...p, line: yaml.lineOf(splitKeyPath(p.path)) } : p);
  return problems.length === before ? api : undefined;
}

/** The inverse of keyPath: 'endpoints.production.members[1].url' -> ['endpoints', 'production', 'members', 1, 'url']. */
function splitKeyPath(p: string): PropertyKey[] {
  return [...p.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

function parseFile<S extends z.ZodType>(
  file: string,
  schema: S,
  env: NodeJS.ProcessEnv,
  problems: ConfigProblem[],
  onYaml?: (yaml: YamlFile) => void,
): z.output<S> | undefined {
  const yaml = readYamlFile(file, problems);
  if (!yaml) return undefined;
  onYaml?.(yaml);
  const before = problems.length;
  const raw = interpolateEnv(yaml.value ?? {}, env, (name, p) =>
    problems.push({ file, path: keyPath(p), line: yaml.lineOf(p), message: `environment variable ${name} is not set` }),
  );
  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(describeIssue(yaml, issue));
    return undefined;
  }
  return problems.length === before ? (result.data as z.output<S>) : undefined;
}

function describeIssue(yaml: YamlFile, issue: z.core.$ZodIssue): ConfigProblem {
  let p: PropertyKey[] = [...issue.path];
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (not in the schema)`;
    if (issue.keys.length === 1) p = [...p, issue.keys[0]!];
  } else if (issue.code === 'invalid_union' && issue.message.startsWith('Invalid discriminator value')) {
    message = issue.message.replace('Invalid discriminator value. Expected', 'expected one of');
  } else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    message = `required key missing: expected ${issue.expected}`;
  } else {
    message = message.replace(/^Invalid input: /, '').replace(/^Invalid option: /, '');
  }
  return { file: yaml.file, path: keyPath(p), line: yaml.lineOf(p), message };
}

function checkServer(file: string, cfg: ServerConfig, problems: ConfigProblem[]): void {
  const base = path.dirname(file);
  if (!cfg.server.http && !cfg.server.https) problems.push({ file, path: 'server', message: 'expected at least one of server.http or server.https' });
  for (const key of ['cert', 'key'] as const) {
    const f = cfg.server.https?.[key];
    if (f && !existsSync(path.resolve(base, f))) problems.push({ file, path: `server.https.${key}`, message: `file ${f} does not exist` });
  }
}

function checkAcrossApis(apis: readonly LoadedApi[], problems: ConfigProblem[]): void {
  const names = new Map<string, string>();
  const mounts = new Map<string, string>();
  for (const { file, config } of apis) {
    const other = names.get(config.name);
    if (other) problems.push({ file, path: 'name', message: `API name "${config.name}" is already used by ${other}` });
    names.set(config.name, file);
    const mount = `${config.context}/${config.version}`;
    const otherMount = mounts.get(mount);
    if (otherMount) problems.push({ file, path: 'context', message: `${mount} is already served by ${otherMount}` });
    mounts.set(mount, file);
  }
}
