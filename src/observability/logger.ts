import pino, { type Logger } from 'pino';

/**
 * JSON logs to stdout. Secrets never reach the logger: config values are not logged, and
 * authorization-like headers are redacted should a header map ever be logged.
 */
export function createLogger(level: string = 'info'): Logger {
  return pino({
    level,
    base: { service: 'soapbridge', pid: process.pid },
    redact: { paths: ['headers.authorization', 'headers["proxy-authorization"]', 'headers.cookie', 'password', 'token', '*.password', '*.token'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger };
