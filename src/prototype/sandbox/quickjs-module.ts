import { newQuickJSWASMModuleFromVariant, RELEASE_SYNC, type EmscriptenModuleLoader, type QuickJSEmscriptenModule, type QuickJSSyncVariant, type QuickJSWASMModule } from 'quickjs-emscripten';

/**
 * The QuickJS WebAssembly module (release build, sync variant), loaded once per process and
 * shared by every prototype endpoint. Each script run gets its own runtime (heap, limits,
 * interrupt handler) inside it.
 *
 * The stock variant loads its Emscripten loader with a dynamic `import()`, which a CommonJS host
 * under jest (no --experimental-vm-modules) cannot run; this variant `require`s the same file
 * (the package's `require` export), which works everywhere we run.
 *
 * A WebAssembly trap (an abort inside the module, e.g. a handle leaked by a bug) leaves the
 * module unusable; `discardQuickJS` drops it so the next run loads a fresh one instead of
 * failing forever.
 */
const VARIANT: QuickJSSyncVariant = {
  type: 'sync',
  importFFI: RELEASE_SYNC.importFFI,
  importModuleLoader: () => Promise.resolve(loadEmscriptenLoader()),
};

function loadEmscriptenLoader(): EmscriptenModuleLoader<QuickJSEmscriptenModule> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod: unknown = require('@jitl/quickjs-wasmfile-release-sync/emscripten-module');
  if (typeof mod !== 'function') throw new Error('quickjs-emscripten: unexpected emscripten module shape');
  return mod as EmscriptenModuleLoader<QuickJSEmscriptenModule>;
}

let loading: Promise<QuickJSWASMModule> | null = null;
let current: QuickJSWASMModule | null = null;

export function quickJS(): Promise<QuickJSWASMModule> {
  loading ??= newQuickJSWASMModuleFromVariant(VARIANT).then(
    (m) => (current = m),
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

/** Forgets a module that trapped; the next `quickJS()` loads a fresh one. */
export function discardQuickJS(broken: QuickJSWASMModule): void {
  if (current === broken) {
    current = null;
    loading = null;
  }
}
