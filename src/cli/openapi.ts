import { parseArgs } from 'node:util';
import path from 'node:path';
import { loadConfig, DEFAULT_CONFIG_FILE } from '../config/load';
import { importCompiled, SERVED_WSDL_OPTIONS } from '../wsdl/index';
import { buildFacade } from '../facade/index';
import { openapiDocument } from '../openapi/index';
import { facadeOptions } from '../gateway/api-runtime';

/** `soapbridge openapi NAME`: prints the OpenAPI 3.1 document of an API's REST facade. */
export async function runOpenapi(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { config: { type: 'string', short: 'c', default: DEFAULT_CONFIG_FILE } },
  });
  const name = positionals[0];
  if (!name) {
    process.stderr.write('usage: soapbridge openapi NAME [--config FILE]\n');
    return 2;
  }
  const config = loadConfig(values.config);
  const api = config.apis.find((a) => a.config.name === name);
  if (!api) throw new Error(`no API named "${name}" (known: ${config.apis.map((a) => a.config.name).join(', ') || 'none'})`);
  if (!api.config.wsdl) throw new Error(`${name} is a REST API without a WSDL: it has no generated facade`);
  const model = await importCompiled(path.resolve(path.dirname(api.file), api.config.wsdl), SERVED_WSDL_OPTIONS);
  const facade = buildFacade(model, facadeOptions(api.config));
  const pub = config.server.publicUrl?.https ?? config.server.publicUrl?.http ?? `http://localhost:${config.server.http?.port ?? 8280}`;
  const doc = openapiDocument(model, facade, { title: api.config.description ?? name, version: api.config.version, serverUrl: `${pub.replace(/\/$/, '')}${api.config.context}/${api.config.version}` });
  process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  return 0;
}
