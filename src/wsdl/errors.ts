/**
 * The one error the WSDL importer throws for bad input. `file` is the bundle-relative path (or
 * URL) of the document at fault and `reason` the problem alone, so callers (CLI, admin API) can
 * render either; `message` joins them: `orders.wsdl: binding "tns:OrderBinding" references …`.
 *
 * @example throw new WsdlImportError('orders.wsdl', 'root element is not <wsdl:definitions>')
 */
export class WsdlImportError extends Error {
  readonly file: string;
  readonly reason: string;

  constructor(file: string, reason: string, opts: { cause?: unknown } = {}) {
    super(`${file}: ${reason}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'WsdlImportError';
    this.file = file;
    this.reason = reason;
  }
}

export function isWsdlImportError(e: unknown): e is WsdlImportError {
  return e instanceof WsdlImportError;
}

/** How a refusal says that imports it needed were missing (the admin API adds advice to it). */
export const MISSING_IMPORTS_NOTE = 'these imports were not found';
