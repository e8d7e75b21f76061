/** The part of http-auth 4 (no published types) the Digest interop tests use. */
declare module 'http-auth' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  interface AuthedRequest extends IncomingMessage {
    user?: string;
  }
  interface Auth {
    check(handler: (req: AuthedRequest, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void;
  }
  function digest(options: { realm: string; algorithm?: 'MD5' | 'MD5-sess'; qop?: 'auth' | 'none' }, checker: (username: string, cb: (hash: string) => void) => void): Auth;
  function basic(options: { realm: string }, checker: (username: string, password: string, cb: (ok: boolean) => void) => void): Auth;
  const httpAuth: { digest: typeof digest; basic: typeof basic };
  export default httpAuth;
}
