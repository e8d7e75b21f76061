import { statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { BridgeConfig } from './schema';
import { loadConfig } from './load';
import { ConfigError, formatProblem } from './problems';

export interface Reloader {
  /** Loads and validates now, then applies; a bad config keeps the last good one. */
  reload(reason: string): Promise<boolean>;
  /** `reload`, saying why a refused config was refused (what the admin API answers). */
  attempt(reason: string): Promise<ReloadOutcome>;
  close(): void;
}

/** A reload applied, or refused (the last good config still serving) with the reason. */
export type ReloadOutcome = { readonly ok: true } | { readonly ok: false; readonly error: Error };

const APPLIED: ReloadOutcome = { ok: true };

/**
 * Hot reload: watches soapbridge.yaml and the APIs folder; every change (debounced) builds and
 * validates a whole new config before `apply` swaps it in. Reloads never overlap; changes
 * during a reload trigger one more, however many there are.
 */
export interface ReloaderOptions {
  readonly watch: boolean;
  readonly debounceMs?: number;
  readonly apisDir: string;
  /**
   * The other files the running config was built from (the APIs' WSDL bundles), asked again
   * after every reload: an edit to one of them reloads too.
   */
  readonly sourceFiles?: () => readonly string[];
}

/**
 * A Kubernetes ConfigMap (or Secret) volume is a folder of links through `..data`, which the
 * kubelet updates by renaming a new `..data` link over the old one: the only name a watcher sees
 * change, and a change of every file in that folder.
 */
const CONFIGMAP_LINK = '..data';

export function createReloader(file: string, apply: (config: BridgeConfig) => Promise<void>, log: Logger, opts: ReloaderOptions): Reloader {
  let running: Promise<ReloadOutcome> | undefined;
  // The one reload queued behind the running one: every request made during a run shares it,
  // since a run that starts after a request sees that request's change.
  let queued: { result: Promise<ReloadOutcome>; reasons: string[] } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = [];
  const sources = new SourceWatch((what) => schedule(what));

  const run = async (reason: string): Promise<ReloadOutcome> => {
    try {
      return await loadAndApply(reason);
    } finally {
      // The files of the config now serving (the new one, or the last good one after a refusal),
      // watched again: folders replaced meanwhile get a new watcher.
      if (opts.watch && opts.sourceFiles) sources.watch(opts.sourceFiles());
    }
  };

  const loadAndApply = async (reason: string): Promise<ReloadOutcome> => {
    let config: BridgeConfig;
    try {
      config = loadConfig(file);
    } catch (e) {
      const problems = e instanceof ConfigError ? e.problems.map(formatProblem) : [(e as Error).message];
      log.error({ reason, problems }, 'config reload refused: keeping the last good config');
      return { ok: false, error: e as Error };
    }
    try {
      await apply(config);
      log.info({ reason, apis: config.apis.map((a) => a.config.name) }, 'config reloaded');
      return APPLIED;
    } catch (e) {
      // Checks against the WSDL fail here: operations: keys as ConfigErrors, a wsdl endpoint without a callable port as an Error.
      const err = e instanceof ConfigError ? { problems: e.problems.map(formatProblem) } : { err: (e as Error).message };
      log.error({ reason, ...err }, 'config reload failed while building: keeping the last good config');
      return { ok: false, error: e as Error };
    }
  };

  const start = (reason: string): Promise<ReloadOutcome> => {
    const current = run(reason).finally(() => {
      if (running === current) running = undefined;
    });
    running = current;
    return current;
  };

  // Reloads never overlap, and a burst of requests during one run costs one more run, not one
  // each. (Each waiter once re-requested after the run, which queued yet another run behind it:
  // two requests during a reload slower than the debounce kept the bridge reloading forever.)
  const attempt = (reason: string): Promise<ReloadOutcome> => {
    if (!running) return start(reason);
    if (queued) {
      queued.reasons.push(reason);
      return queued.result;
    }
    const reasons = [reason];
    const result = running.then(() => {
      queued = undefined;
      return start(reasons.join('; '));
    });
    queued = { result, reasons };
    return result;
  };

  const schedule = (what: string): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void attempt(`file change: ${what}`), opts.debounceMs ?? 150);
    timer.unref();
  };

  if (opts.watch) {
    const onChange = (dir: string) => (_event: string, name: string | Buffer | null) => {
      const n = name ? String(name) : '';
      // Temp files of atomic writes (".x.yaml.123.tmp") are not changes yet; the rename is.
      if (n.startsWith('.') && n !== CONFIGMAP_LINK) return;
      schedule(path.join(dir, n));
    };
    watchers.push(watch(path.dirname(path.resolve(file)), onChange(path.dirname(path.resolve(file)))));
    if (path.resolve(opts.apisDir) !== path.dirname(path.resolve(file))) watchers.push(watch(opts.apisDir, onChange(opts.apisDir)));
    for (const w of watchers) w.unref();
    if (opts.sourceFiles) sources.watch(opts.sourceFiles());
  }

  return {
    reload: async (reason) => (await attempt(reason)).ok,
    attempt,
    close() {
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
      sources.close();
    },
  };
}

/**
 * Watches a set of files through their folders (one watcher a folder: editors replace files by
 * rename, which a watcher on the file itself would not survive). Events for other names in those
 * folders (the model cache `.soapbridge-cache/`, temp files) are ignored. `watch` replaces the set.
 */
class SourceWatch {
  private readonly folders = new Map<string, { names: Set<string>; watcher: FSWatcher; ino: number | undefined }>();

  constructor(private readonly changed: (what: string) => void) {}

  watch(files: readonly string[]): void {
    const wanted = new Map<string, Set<string>>();
    for (const f of files) {
      const dir = path.dirname(f);
      let names = wanted.get(dir);
      if (!names) wanted.set(dir, (names = new Set()));
      names.add(path.basename(f));
    }
    for (const [dir, held] of this.folders) {
      if (wanted.has(dir)) continue;
      held.watcher.close();
      this.folders.delete(dir);
    }
    for (const [dir, names] of wanted) {
      const ino = inodeOf(dir);
      const held = this.folders.get(dir);
      // A folder replaced under the same path (an import --force swaps in a new wsdl/NAME/) would
      // keep a watcher on the old, deleted one, which never reports again: watch the new one.
      if (held && held.ino === ino) {
        held.names.clear();
        for (const n of names) held.names.add(n);
        continue;
      }
      if (held) {
        held.watcher.close();
        this.folders.delete(dir);
      }
      try {
        const watcher = watch(dir, (_event, name) => {
          const n = name ? String(name) : '';
          if (n === CONFIGMAP_LINK || this.folders.get(dir)?.names.has(n)) this.changed(path.join(dir, n));
        });
        watcher.unref();
        this.folders.set(dir, { names, watcher, ino });
      } catch {
        // A folder that is gone: the next reload will say what is missing.
      }
    }
  }

  close(): void {
    for (const held of this.folders.values()) held.watcher.close();
    this.folders.clear();
  }
}

function inodeOf(dir: string): number | undefined {
  try {
    return statSync(dir).ino;
  } catch {
    return undefined;
  }
}
