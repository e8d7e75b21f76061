/** One config problem: where (file, key path, line) and what was expected. */
export interface ConfigProblem {
  readonly file: string;
  readonly path: string;
  readonly line?: number;
  readonly message: string;
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line ? `${p.file}:${p.line}` : p.file;
  return `${where}: ${p.path || '(root)'}: ${p.message}`;
}

/** Thrown by loadConfig when any problem was found; carries all of them. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    super(`invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` + problems.map((p) => '  ' + formatProblem(p)).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Renders a key path the way a user reads YAML: endpoints.production.members[1].url */
export function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out ? `.${String(k)}` : String(k);
  }
  return out;
}
