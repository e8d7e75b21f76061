import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { type ConfigProblem, keyPath } from './problems';

/** A parsed YAML file that can tell the line of any key path, for precise messages. */
export interface YamlFile {
  readonly file: string;
  readonly value: unknown;
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

export function readYamlFile(file: string, problems: ConfigProblem[]): YamlFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    problems.push({ file, path: '', message: readFailure(e as NodeJS.ErrnoException) });
    return undefined;
  }
  const lc = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      problems.push({ file, path: '', line: lc.linePos(err.pos[0]).line, message: `YAML syntax: ${err.message.split('\n')[0]}` });
    }
    return undefined;
  }
  return {
    file,
    value: doc.toJS({ maxAliasCount: 100 }) as unknown,
    lineOf(path) {
      // Walk up until a node with a range exists (a missing key reports its parent's line).
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n) as unknown[], true);
        if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` (and `${NAME:-default}`) in every string value. An unset variable without
 * default is a problem naming the variable and the key path; the value is never logged.
 */
export function interpolateEnv(value: unknown, env: NodeJS.ProcessEnv, onMissing: (name: string, path: PropertyKey[]) => void, path: PropertyKey[] = []): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (_m, name: string, dflt: string | undefined) => {
      const v = env[name];
      if (v !== undefined) return v;
      if (dflt !== undefined) return dflt;
      onMissing(name, path);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateEnv(v, env, onMissing, [...path, i]));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateEnv(v, env, onMissing, [...path, k]);
    return out;
  }
  return value;
}

export { keyPath };

const READ_FAILURES: Record<string, string> = { ENOENT: 'file not found', EACCES: 'cannot read file: permission denied', EISDIR: 'a folder, not a file' };

function readFailure(e: NodeJS.ErrnoException): string {
  return (e.code && READ_FAILURES[e.code]) ?? `cannot read file: ${e.code ?? String(e)}`;
}
