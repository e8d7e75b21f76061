import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadBundle, compileModel, summarize, type WsdlBundle } from '../wsdl/index';
import type { BridgeConfig } from '../config/schema';
import { ApiStore } from '../config/api-store';

export interface ImportRequest {
  readonly source: string;
  readonly name: string;
  readonly context?: string;
  readonly version?: string;
  /** Replace an existing API of that name. */
  readonly force?: boolean;
  /** Folder the bundle goes to (default: `wsdl/` beside the config folder). */
  readonly wsdlRoot?: string;
  readonly onProgress?: (msg: string) => void;
}

export interface ImportResult {
  readonly summary: string;
  readonly apiFile: string;
  readonly entry: string;
  readonly documents: number;
  readonly soapPorts: number;
}

/**
 * `soapbridge import` and the admin API's `POST /import` share this: load the bundle (remote
 * imports fetched now and stored locally), compile it (so a broken WSDL is refused before
 * anything is written), copy it under `wsdl/NAME/`, then write the API file through ApiStore.
 */
export async function importApi(req: ImportRequest, config: BridgeConfig): Promise<ImportResult> {
  const store = new ApiStore(() => config);
  const apiFile = store.fileOf(req.name);
  const bundle = await loadBundle(req.source, { remoteImports: 'fetch', ...(req.onProgress ? { onProgress: req.onProgress } : {}) });
  req.onProgress?.(`compiling ${bundle.documents.size} document(s)`);
  const model = compileModel(bundle);
  const wsdlDir = path.join(req.wsdlRoot ?? path.resolve(config.baseDir, '..', 'wsdl'), req.name);
  const entry = writeBundle(bundle, wsdlDir);
  const soapPorts = model.services.flatMap((s) => s.ports.filter((p) => p.soapVersion && p.address)).length;
  const definition = {
    name: req.name,
    context: req.context ?? `/${req.name}`,
    version: req.version ?? 'v1',
    state: 'PUBLISHED',
    wsdl: path.relative(path.dirname(apiFile), entry).split(path.sep).join('/'),
    expose: { soap: true },
    endpoints: { production: soapPorts > 0 ? { type: 'wsdl' } : { type: 'soap', url: 'http://CHANGE-ME.invalid/service' } },
  };
  store.write(req.name, definition, req.force ? (store.list().some((a) => a.name === req.name) ? 'replace' : 'create') : 'create');
  return { summary: summarize(model), apiFile, entry, documents: bundle.documents.size, soapPorts };
}

/** Writes every document under `dir`, keeping relative layout; remote ones go to `remote/`. */
function writeBundle(bundle: WsdlBundle, dir: string): string {
  const local = new Map<string, string>();
  for (const p of bundle.documents.keys()) local.set(p, path.join(dir, localName(p)));
  for (const [p, doc] of bundle.documents) {
    let text = doc.text;
    for (const imp of doc.imports) {
      const target = local.get(imp.target);
      if (!target || !/^[a-z][a-z0-9+.-]*:/i.test(imp.location)) continue; // relative already works
      const rel = path.relative(path.dirname(local.get(p)!), target).split(path.sep).join('/');
      const esc = imp.location.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      text = text.replace(new RegExp(`((?:schemaLocation|location)\\s*=\\s*)(["'])${esc}\\2`, 'g'), `$1$2${rel}$2`);
    }
    mkdirSync(path.dirname(local.get(p)!), { recursive: true });
    writeFileSync(local.get(p)!, text);
  }
  return local.get(bundle.entry)!;
}

function localName(p: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/]+)(\/[^?#]*)?/i.exec(p);
  const clean = (s: string): string => s.replace(/[^A-Za-z0-9._/-]/g, '_').replace(/\.\.+/g, '_');
  if (m) {
    const file = clean(`${m[1]}${m[2] ?? '/index'}`);
    return path.join('remote', /\.(wsdl|xsd|xml)$/i.test(file) ? file : `${file}.xml`);
  }
  return clean(p).replace(/^\/+/, '');
}
