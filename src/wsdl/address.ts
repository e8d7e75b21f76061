import { isUrlKey } from './load/stores';

/**
 * Whether a port's address is one the bridge can send SOAP to: an absolute http(s) URL with a
 * host. Real WSDLs ship placeholders ("FOO", "url", "http://", `http://{{host}}/...`) and other
 * transports (`jms:queue:...`); those ports are described and served at `?wsdl`, but a `wsdl`
 * endpoint cannot take its backend from them.
 */
export function isCallableAddress(address: string): boolean {
  if (!isUrlKey(address)) return false;
  try {
    return new URL(address).hostname !== '';
  } catch {
    return false;
  }
}
