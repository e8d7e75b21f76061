import { existsSync, readFileSync, unlinkSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseDocument, stringify } from 'yaml';
import type { BridgeConfig, ApiConfig } from './schema';
import { loadApiFile } from './load';
import { ConfigError, type ConfigProblem } from './problems';
import { writeFileAtomic } from './atomic-write';
import { applyLifecycleAction } from '../lifecycle/lifecycle';
import { BridgeError } from '../errors/bridge-error';

/**
 * The one code path that changes API files, shared by the CLI and the admin API: validate the
 * new content first (schema, checks, name/mount clashes), then write it atomically. The caller
 * reloads afterwards (file watching does it too).
 */
export class ApiStore {
  constructor(
    private readonly current: () => BridgeConfig,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private get dir(): string {
    return this.current().apisDir;
  }

  fileOf(name: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name)) throw new BridgeError('BAD_REQUEST', `invalid API name "${name}"`);
    return path.join(this.dir, `${name}.yaml`);
  }

  list(): { name: string; file: string; text: string }[] {
    return readdirSync(this.dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => ({ name: f.replace(/\.ya?ml$/, ''), file: path.join(this.dir, f), text: readFileSync(path.join(this.dir, f), 'utf8') }));
  }

  /** The API file's bytes as they are now (null: no such file), for `restore`. */
  snapshot(name: string): Buffer | null {
    const file = this.fileOf(name);
    return existsSync(file) ? readFileSync(file) : null;
  }

  /** Puts back what `snapshot` saw: the old bytes, atomically, or no file. */
  restore(name: string, before: Buffer | null): void {
    const file = this.fileOf(name);
    if (before !== null) writeFileAtomic(file, before);
    else if (existsSync(file)) unlinkSync(file);
  }

  /** The raw (uninterpolated) definition, so secrets written as ${VAR} stay references. */
  read(name: string): Record<string, unknown> {
    const file = this.fileOf(name);
    if (!existsSync(file)) throw new BridgeError('ROUTE_NOT_FOUND', `no API named "${name}"`);
    return parseDocument(readFileSync(file, 'utf8')).toJS() as Record<string, unknown>;
  }

  /** Validates and writes; `create` refuses to replace, otherwise the file must exist. */
  write(name: string, definition: unknown, mode: 'create' | 'replace'): ApiConfig {
    const file = this.fileOf(name);
    if (mode === 'create' && existsSync(file)) throw new BridgeError('BAD_REQUEST', `API "${name}" already exists`, { status: 409 });
    if (mode === 'replace' && !existsSync(file)) throw new BridgeError('ROUTE_NOT_FOUND', `no API named "${name}"`);
    if (!definition || typeof definition !== 'object' || Array.isArray(definition)) throw new BridgeError('BAD_REQUEST', 'expected an API definition object');
    if ((definition as { name?: unknown }).name !== name) throw new BridgeError('BAD_REQUEST', `"name" must be "${name}"`);
    const text = stringify(definition);
    // Validate the exact bytes we are about to install, from a temp file beside the target so
    // relative paths (wsdl, TLS files) resolve the same way. The pid keeps `--workers` processes
    // writing the same API from validating (and deleting) each other's probe.
    const probe = path.join(this.dir, `.${name}.${process.pid}.validate.tmp`);
    writeFileAtomic(probe, text);
    const problems: ConfigProblem[] = [];
    let api: ApiConfig | undefined;
    try {
      api = loadApiFile(probe, this.env, problems);
    } finally {
      unlinkSync(probe);
    }
    if (api) {
      for (const other of this.current().apis) {
        if (other.config.name === name) continue;
        if (`${other.config.context}/${other.config.version}` === `${api.context}/${api.version}`) {
          problems.push({ file, path: 'context', message: `${api.context}/${api.version} is already served by ${other.config.name}` });
        }
      }
    }
    if (!api || problems.length > 0) throw new ConfigError(problems.map((p) => ({ ...p, file })));
    writeFileAtomic(file, text);
    return api;
  }

  remove(name: string): void {
    const file = this.fileOf(name);
    if (!existsSync(file)) throw new BridgeError('ROUTE_NOT_FOUND', `no API named "${name}"`);
    unlinkSync(file);
  }

  /** Applies a lifecycle action (WSO2 names) and persists the new state. */
  lifecycle(name: string, action: string): { from: string; to: string } {
    const def = this.read(name);
    const from = typeof def['state'] === 'string' ? (def['state'] as ApiConfig['state']) : 'PUBLISHED';
    const result = applyLifecycleAction(from, action);
    if (!result.ok) {
      throw new BridgeError('BAD_REQUEST', `"${action}" is not allowed from ${from}; allowed: ${result.allowed.join(', ') || 'none (final state)'}`, {
        status: 409,
        extensions: { allowed: result.allowed },
      });
    }
    this.write(name, { ...def, state: result.state }, 'replace');
    return { from, to: result.state };
  }
}
