import path from 'node:path';
import type { WsdlModel, Port } from '../wsdl/model';
import { importCompiled, importCompiledOffThread, isCallableAddress, SERVED_WSDL_OPTIONS, sourceFilesOf } from '../wsdl/index';
import { OperationIndex } from '../soap/operation-index';
import { HttpBindingRoutes } from '../soap/http-bindings';
import { WsdlDocs } from './wsdl-docs';
import { qnLocal } from '../wsdl/qname';
import type { SoapVersion } from '../errors/to-soap-fault';

/** The WSDL side of an API: model, operation lookup and the documents served at ?wsdl. */
export interface SoapApi {
  readonly model: WsdlModel;
  readonly index: OperationIndex;
  readonly docs: WsdlDocs;
  /** The operations of the WSDL's HTTP GET/POST bindings, built on first use; null when it has none. */
  httpRoutes(): HttpBindingRoutes | null;
  /** soap:address of a service/port (first SOAP port when unspecified). */
  address(service?: string, port?: string): { url: string; soapVersion: SoapVersion };
}

/**
 * The SoapApi built for each model. importCompiled hands a reload the model it already holds when
 * the WSDL files did not change; reusing the whole SoapApi then also keeps the operation index and
 * the documents already rewritten for `?wsdl` (re-reading them parses the XML again).
 */
const built = new WeakMap<WsdlModel, SoapApi>();

/** `offThread`: compile (on a cache miss) on a worker thread, for a bridge that is serving. */
export async function loadSoapApi(wsdlFile: string, opts: { offThread?: boolean } = {}): Promise<SoapApi> {
  // Compiled once per WSDL content: the importer caches the model as JSON beside the WSDL.
  const model = await (opts.offThread ? importCompiledOffThread : importCompiled)(wsdlFile, SERVED_WSDL_OPTIONS);
  let api = built.get(model);
  if (!api) {
    api = soapApiOf(wsdlFile, model);
    built.set(model, api);
  }
  return api;
}

function soapApiOf(wsdlFile: string, model: WsdlModel): SoapApi {
  let http: HttpBindingRoutes | null | undefined;
  return {
    model,
    httpRoutes: () => (http === undefined ? (http = HttpBindingRoutes.of(model)) : http),
    index: new OperationIndex(model),
    docs: new WsdlDocs(wsdlFile, () => sourceFilesOf(model)),
    address(service, port) {
      const candidates: { svc: string; port: Port }[] = [];
      for (const s of model.services) for (const p of s.ports) if (p.address && p.soapVersion) candidates.push({ svc: qnLocal(s.name), port: p });
      const found = candidates.filter((c) => (!service || c.svc === service) && (!port || c.port.name === port));
      const callable = found.filter((c) => isCallableAddress(c.port.address!));
      const pick = callable.find((c) => c.port.soapVersion === '1.1') ?? callable[0];
      if (!pick) {
        const known = candidates.map((c) => `${c.svc}/${c.port.name} "${c.port.address}"`).join(', ') || 'none';
        const why = found.length > 0 ? 'with an http(s) address the bridge can call' : 'with an address';
        throw new Error(`${path.basename(wsdlFile)}: no SOAP port ${service ?? '*'}/${port ?? '*'} ${why} (ports: ${known}); give the endpoint a url instead of type: wsdl`);
      }
      return { url: pick.port.address!, soapVersion: pick.port.soapVersion! };
    },
  };
}
