/**
 * WSDL 1.1 and 2.0 import: load a bundle (file, URL or .zip, with its imports), compile it into a typed
 * JSON model, cache that model, and rewrite documents for `?wsdl`.
 *
 * @example
 *   const model = await importCompiled('wsdl/Calculator.wsdl');
 *   console.log(summarize(model));
 */
export { loadBundle } from './load/load-bundle';
export { isUrlKey as isHttpUrl } from './load/stores';
export type { LoadOptions, WsdlBundle, BundleDocument } from './load/types';
export { compileModel } from './compile';
export { importCompiled, importCompiledOffThread, seedCache, sourceFilesOf, SERVED_WSDL_OPTIONS, type ImportCompiledOptions } from './cache';
export { rewriteDocument, bundleDocIndex, type RewriteOptions } from './rewrite';
export { summarize } from './summarize';
export { WsdlImportError, isWsdlImportError } from './errors';
export { qn, qnNs, qnLocal, NS } from './qname';
export * from './model';
export { isCallableAddress } from './address';
