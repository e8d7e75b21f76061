import type { BackendRequest, BackendResponse, CallContext } from '../endpoints/endpoint';
import type { AuthTarget, BackendAuth, Dispatch } from './backend-auth';
import { BridgeError } from '../errors/bridge-error';
import { ChallengeParseError, parseChallenges, type Challenge } from './www-authenticate';
import { answerHeader, newCnonce, parseAlgorithm, prepareAnswer, type ChallengeAnswer, type DigestAlgorithm, type DigestQop } from './digest-response';
import { canReplay, discard, makeReplayable, refused, withHeader, withoutAuthorization } from './replayable';

/** The nonce-count of one nonce, shared by every session object that answers that nonce. */
interface NonceCount {
  /** Last nonce-count used with this nonce (RFC 7616 §3.4: strictly rising per nonce). */
  n: number;
}

/** What we keep of a server's Digest challenge: enough to answer it again without asking. */
interface Session {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string;
  readonly algorithm: DigestAlgorithm;
  /** Offered qop values we can do, in our order of preference; [] = RFC 2069 form. */
  readonly qops: readonly DigestQop[];
  readonly userhash: boolean;
  /** Hashed and quoted once per challenge (HA1, the header's fixed part). */
  answer?: ChallengeAnswer;
  count: NonceCount;
}

/** Nonces whose counts are remembered after a newer challenge replaced them (a server may bring one back). */
const RETIRED_NONCES = 256;

export interface DigestOptions {
  readonly username: string;
  readonly password: string;
  /** Bodies up to this size are buffered so the challenge round trip can re-send them. */
  readonly maxReplayBytes: number;
}

/**
 * RFC 7616 Digest with nonce reuse.
 *
 * The first request to a backend origin goes out without credentials and learns the challenge
 * from the 401; the request is then re-sent once with the answer. The challenge (realm, nonce,
 * opaque, algorithm, qop) is kept per origin, so every later request is sent with credentials
 * at once, with a rising nonce-count: one round trip. When the server no longer accepts the
 * nonce (a 401, usually with stale=true), the new challenge replaces the old one and the request
 * is re-sent once; a second 401 is BACKEND_AUTH_FAILED. At most two backend requests per call.
 *
 * Bodies over `maxReplayBytes` stay streams: they are sent with credentials when a nonce is
 * known, but a challenge that needs them re-sent fails with BACKEND_AUTH_FAILED (the challenge
 * is kept, so the next call goes through in one round trip).
 */
export class DigestAuth implements BackendAuth {
  readonly type = 'digest';
  /** origin -> the last challenge that origin sent. */
  private readonly sessions = new Map<string, Session>();
  /** `${origin} ${nonce}` -> the count of a nonce a newer challenge replaced (bounded, oldest out). */
  private readonly retired = new Map<string, NonceCount>();

  constructor(private readonly opts: DigestOptions) {}

  async execute(original: BackendRequest, target: AuthTarget, dispatch: Dispatch, ctx: CallContext): Promise<BackendResponse> {
    const req = await makeReplayable(withoutAuthorization(original), this.opts.maxReplayBytes);
    const known = this.sessions.get(target.origin);
    const first = await dispatch(known ? this.authorize(req, target, known) : req);
    if (first.status !== 401) return first;
    await discard(first);
    return this.challenged(first, req, target, dispatch, ctx);
  }

  /**
   * The fast path's preemptive header: the answer to the known challenge with the next
   * nonce-count, or undefined when no challenge is known yet or it cannot be answered without
   * the whole body (auth-int with a streamed body). The caller sends the request once with it
   * and comes back to `challenged` on a 401.
   */
  headerFor(req: BackendRequest, target: AuthTarget): string | undefined {
    const s = this.sessions.get(target.origin);
    if (!s) return undefined;
    const qop = pickQop(s, req);
    if (s.qops.length > 0 && qop === undefined) return undefined;
    return this.header(s, req, target, qop);
  }

  /**
   * A request sent with credentials (or without, the first time) got `first`, a 401 whose body
   * was consumed: learn its challenge and re-send once. `req` must be replayable to go on.
   */
  async challenged(first: BackendResponse, original: BackendRequest, target: AuthTarget, dispatch: Dispatch, _ctx: CallContext): Promise<BackendResponse> {
    const session = this.learn(first, target);
    if (!canReplay(original)) {
      throw new BridgeError(
        'BACKEND_AUTH_FAILED',
        `digest: the backend ${first.endpoint} asked for a new challenge round trip, but the request body is larger than maxReplayBytes (${this.opts.maxReplayBytes}) and cannot be sent twice; the challenge is now known, so a repeated request is sent with credentials at once`,
        { requestSent: true, extensions: { backendStatus: 401 } },
      );
    }
    const second = await dispatch(this.authorize(original, target, session));
    if (second.status !== 401) return second;
    await discard(second);
    // Keep the newest challenge for the next call, but never try a third time now.
    this.tryLearn(second, target);
    throw refused('digest', second, `to the configured credentials (realm "${session.realm}")`);
  }

  private authorize(req: BackendRequest, target: AuthTarget, s: Session): BackendRequest {
    const qop = pickQop(s, req);
    if (s.qops.length > 0 && qop === undefined) {
      throw new BridgeError('BACKEND_AUTH_FAILED', 'digest: the backend only offers qop=auth-int, which needs the whole body, and the body is larger than maxReplayBytes', {
        requestSent: false,
      });
    }
    return withHeader(req, 'authorization', this.header(s, req, target, qop));
  }

  /** The Authorization value with the nonce's next count: two hashes for qop=auth once the challenge is prepared. */
  private header(s: Session, req: BackendRequest, target: AuthTarget, qop: DigestQop | undefined): string {
    const answer = (s.answer ??= prepareAnswer({
      algorithm: s.algorithm,
      username: this.opts.username,
      password: this.opts.password,
      realm: s.realm,
      nonce: s.nonce,
      ...(s.opaque !== undefined ? { opaque: s.opaque } : {}),
      userhash: s.userhash,
    }));
    const nc = ++s.count.n;
    const body = qop === 'auth-int' && Buffer.isBuffer(req.body) ? req.body : undefined;
    return answerHeader(answer, req.method, target.path, qop, nc, newCnonce(), body);
  }

  /** Takes the challenge from a 401 and keeps it for the origin. */
  private learn(res: BackendResponse, target: AuthTarget): Session {
    const raw = res.headers['www-authenticate'];
    if (raw === undefined) throw refused('digest', res, 'without a WWW-Authenticate challenge');
    let challenges: Challenge[];
    try {
      challenges = parseChallenges(raw);
    } catch (e) {
      if (!(e instanceof ChallengeParseError)) throw e;
      throw new BridgeError('BACKEND_RESPONSE_INVALID', `digest: the backend ${res.endpoint} sent a ${e.message}`, { cause: e, requestSent: true, retryable: false });
    }
    const session = pickChallenge(challenges);
    if (!session) {
      const offered = [...new Set(challenges.map((c) => c.scheme))].join(', ');
      throw refused('digest', res, `without a usable Digest challenge (offered: ${offered}; Digest needs realm and nonce and a supported algorithm)`);
    }
    // Whether stale=true or not, the new challenge gets exactly one re-send: a server that
    // restarted forgets its nonces without saying stale, and a second 401 ends it anyway.
    // The nonce-count goes on rising when the nonce is one we used before (the same nonce back,
    // e.g. after a count the server saw out of order): a count is never sent twice per nonce,
    // however many requests are in flight.
    const prev = this.sessions.get(target.origin);
    if (prev && prev.nonce !== session.nonce) this.retire(target.origin, prev);
    const key = `${target.origin} ${session.nonce}`;
    session.count = prev?.nonce === session.nonce ? prev.count : (this.retired.get(key) ?? session.count);
    this.retired.delete(key);
    this.sessions.set(target.origin, session);
    return session;
  }

  private retire(origin: string, s: Session): void {
    this.retired.set(`${origin} ${s.nonce}`, s.count);
    if (this.retired.size > RETIRED_NONCES) this.retired.delete(this.retired.keys().next().value!);
  }

  private tryLearn(res: BackendResponse, target: AuthTarget): void {
    try {
      this.learn(res, target);
    } catch {
      const prev = this.sessions.get(target.origin);
      if (prev) this.retire(target.origin, prev);
      this.sessions.delete(target.origin);
    }
  }
}

/** The qop to answer with: auth-int only when the whole body is in hand. */
function pickQop(s: Session, req: BackendRequest): DigestQop | undefined {
  for (const q of s.qops) if (q === 'auth' || Buffer.isBuffer(req.body) || req.body === null) return q;
  return undefined;
}

/** The first Digest challenge we can answer, in the server's order of preference (RFC 7616 §3.7). */
function pickChallenge(challenges: readonly Challenge[]): Session | undefined {
  for (const c of challenges) {
    if (c.scheme !== 'digest') continue;
    const { realm, nonce } = c.params;
    const algorithm = parseAlgorithm(c.params['algorithm']);
    if (realm === undefined || nonce === undefined || algorithm === undefined) continue;
    const offered = (c.params['qop'] ?? '').split(',').map((s) => s.trim().toLowerCase());
    const qops: DigestQop[] = [];
    if (offered.includes('auth')) qops.push('auth');
    if (offered.includes('auth-int')) qops.push('auth-int');
    if (c.params['qop'] !== undefined && qops.length === 0) continue;
    return {
      realm,
      nonce,
      ...(c.params['opaque'] !== undefined ? { opaque: c.params['opaque'] } : {}),
      algorithm,
      qops,
      userhash: (c.params['userhash'] ?? '').toLowerCase() === 'true',
      count: { n: 0 },
    };
  }
  return undefined;
}
