import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadBundle, compileModel, summarize, type WsdlBundle } from '../wsdl/index';
import { loadConfig, DEFAULT_CONFIG_FILE, loadApiFile } from '../config/load';
import { formatProblem, type ConfigProblem } from '../config/problems';
import { writeFileAtomic } from '../config/atomic-write';

/**
 * `soapbridge import SOURCE --name N [--context /x] [--version v1]`: copies the WSDL bundle under
 * `wsdl/N/` (remote imports fetched now, stored locally, and their locations pointed at the
 * copies), writes `config/apis/N.yaml`, and prints what was found and what is unsupported.
 */
export async function runImport(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string', short: 'n' },
      context: { type: 'string' },
      version: { type: 'string', default: 'v1' },
      config: { type: 'string', short: 'c', default: DEFAULT_CONFIG_FILE },
      force: { type: 'boolean', default: false },
    },
  });
  const source = positionals[0];
  const name = values.name;
  if (!source || !name) {
    process.stderr.write('usage: soapbridge import SOURCE --name NAME [--context /x] [--version v1] [--force]\n');
    return 2;
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name)) throw new Error(`--name "${name}": use letters, digits, - and _`);
  const config = loadConfig(values.config);
  const apiFile = path.join(config.apisDir, `${name}.yaml`);
  if (existsSync(apiFile) && !values.force) throw new Error(`${apiFile} exists (use --force to replace it)`);

  const bundle = await loadBundle(source, { remoteImports: 'fetch', onProgress: (m) => process.stderr.write(`  ${m}\n`) });
  process.stderr.write(`  compiling ${bundle.documents.size} document(s)...\n`);
  const model = compileModel(bundle);
  const wsdlDir = path.resolve(config.baseDir, '..', 'wsdl', name);
  const entry = writeBundle(bundle, wsdlDir);

  const soapPorts = model.services.flatMap((s) => s.ports.filter((p) => p.soapVersion && p.address));
  const api = {
    name,
    context: values.context ?? `/${name}`,
    version: values.version,
    state: 'PUBLISHED',
    wsdl: path.relative(path.dirname(apiFile), entry).split(path.sep).join('/'),
    expose: { soap: true },
    endpoints: { production: soapPorts.length > 0 ? { type: 'wsdl' } : { type: 'soap', url: 'http://CHANGE-ME.example/service' } },
  };
  const problems: ConfigProblem[] = [];
  writeFileAtomic(apiFile, `# Imported from ${source} by soapbridge import\n` + stringify(api));
  loadApiFile(apiFile, process.env, problems);
  process.stdout.write(summarize(model) + '\n');
  process.stdout.write(`wrote ${path.relative(process.cwd(), entry)} (+${bundle.documents.size - 1} imported document(s)) and ${path.relative(process.cwd(), apiFile)}\n`);
  if (soapPorts.length === 0) process.stdout.write('note: no SOAP port with an address: set endpoints.production.url in the API file\n');
  for (const p of problems) process.stderr.write(formatProblem(p) + '\n');
  return problems.length > 0 ? 1 : 0;
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
