import { createRequire } from 'node:module';
import type { Logger, DestinationStream } from 'pino';

export type { Logger } from 'pino';

/**
 * pino, loaded on the first logger made rather than with this module: pino and its helpers are
 * a few dozen CommonJS files, and most CLI commands never log (so never make a logger).
 */
const loadPino = (): typeof import('pino').pino => (createRequire(import.meta.url)('pino') as typeof import('pino')).pino;

/** Field names that hold secrets wherever they appear in a log object. */
const SECRET_KEYS = [
  'authToken', 'clientSecret', 'apiKey', 'accessToken', 'password', 'authorization',
  'Authorization', 'access_token', 'client_secret', 'x-goog-api-key',
];

export interface LoggerOptions {
  level?: string;
  /** Human-readable lines (pino-pretty) instead of JSON; default: when stderr is a TTY. */
  pretty?: boolean;
  destination?: DestinationStream;
}

/**
 * JSON logs to stderr (stdout belongs to command output and the terminal UI), pretty in a TTY.
 * Secrets are censored by key name at any depth up to three levels, and database URLs
 * (which can embed passwords) are never logged whole.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.ROLPLAY_LOG_LEVEL ?? 'info';
  const paths = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`].map((p) => (key.includes('-') ? p.replace(key, `["${key}"]`) : p)));
  const pino = loadPino();
  const base = { level, redact: { paths, censor: '[redacted]' }, base: undefined };
  if (options.destination) return pino(base, options.destination);
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname' } } });
  }
  return pino(base, pino.destination({ dest: 2, sync: true }));
}

/** A logger that drops everything: for tests and for commands that print their own output. */
export function silentLogger(): Logger {
  return loadPino()({ level: 'silent' });
}
