import type { BackendRequest, BackendResponse, CallContext } from '../endpoints/endpoint';
import type { AuthTarget, BackendAuth, Dispatch } from './backend-auth';
import { discard, refused, withHeader, withoutAuthorization } from './replayable';

/**
 * RFC 7617 Basic: the header is computed once and sent on every request (no challenge round
 * trip). A 401 means the configured credentials are wrong: BACKEND_AUTH_FAILED, no retry.
 */
export class BasicAuth implements BackendAuth {
  readonly type = 'basic';
  private readonly header: string;

  constructor(username: string, password: string) {
    this.header = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  }

  async execute(req: BackendRequest, _target: AuthTarget, dispatch: Dispatch, _ctx: CallContext): Promise<BackendResponse> {
    const res = await dispatch(withHeader(withoutAuthorization(req), 'authorization', this.header));
    if (res.status !== 401) return res;
    await discard(res);
    throw refused('basic', res, 'to the configured credentials');
  }

  /** Always known: Basic rides the leaf's relay fast path. */
  headerFor(): string {
    return this.header;
  }

  /** A 401 to the preemptive header: the credentials are wrong, as in `execute`. */
  async challenged(res: BackendResponse): Promise<BackendResponse> {
    throw refused('basic', res, 'to the configured credentials');
  }
}
