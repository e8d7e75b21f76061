import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response, NextFunction } from 'express';
import { BridgeError } from '../errors/bridge-error';

/**
 * `Authorization: Bearer <token>` compared in constant time: both sides are hashed first so
 * the comparison never depends on the token's length either.
 */
export function requireBearer(token: string | undefined) {
  const expected = token ? createHash('sha256').update(token).digest() : undefined;
  return (req: Request, res: Response, next: NextFunction): void => {
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const given = createHash('sha256').update(m?.[1] ?? '').digest();
    if (!expected || !m || !timingSafeEqual(given, expected)) {
      res.setHeader('www-authenticate', 'Bearer realm="soapbridge-admin"');
      next(new BridgeError('UNAUTHORIZED', expected ? 'missing or wrong bearer token' : 'admin.token is not configured: the admin API is disabled'));
      return;
    }
    next();
  };
}
