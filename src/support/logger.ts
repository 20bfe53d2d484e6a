import { createRequire } from 'node:module';
import type { Logger, DestinationStream } from 'pino';
import { colorWanted } from './color-env.js';
import { humanLogLine } from './human-log-line.js';

export type { Logger } from 'pino';

/**
 * pino, loaded on the first logger made rather than with this module: pino and its helpers are
 * a few dozen CommonJS files, and most CLI commands never log (so never make a logger).
 */
const loadPino = (): typeof import('pino').pino => (createRequire(import.meta.url)('pino') as typeof import('pino')).pino;

/** Field names that hold secrets wherever they appear in a log object. */
const SECRET_KEYS = [
  'authToken', 'clientSecret', 'apiKey', 'accessToken', 'password', 'authorization',
  'Authorization', 'access_token', 'client_secret', 'x-goog-api-key', 'metricsToken',
];

export interface LoggerOptions {
  level?: string;
  /** Human-readable lines (pino-pretty) instead of JSON; default: when stderr is a TTY. */
  pretty?: boolean;
  destination?: DestinationStream;
  /** Human lines (`rolplay: warning: ...`) to this stream, TTY or not: for CLI commands other than start. */
  human?: { write(text: string): unknown };
  /** For ROLPLAY_LOG_LEVEL, NO_COLOR and FORCE_COLOR; default process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * JSON logs to stderr (stdout belongs to command output and the terminal UI), pretty in a TTY.
 * Secrets are censored by key name at any depth up to three levels, and database URLs
 * (which can embed passwords) are never logged whole.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const env = options.env ?? process.env;
  const level = options.level ?? env.ROLPLAY_LOG_LEVEL ?? 'info';
  const paths = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`].map((p) => (key.includes('-') ? p.replace(key, `["${key}"]`) : p)));
  const pino = loadPino();
  const base = { level, redact: { paths, censor: '[redacted]' }, base: undefined };
  if (options.destination) return pino(base, options.destination);
  const human = options.human;
  if (human) return pino(base, { write: (line: string) => void human.write(`${humanLogLine(line)}\n`) });
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: prettyOptions(env) } });
  }
  return pino(base, pino.destination({ dest: 2, sync: true }));
}

/** pino-pretty's options: colours unless NO_COLOR says otherwise (pretty output goes to a TTY). */
export function prettyOptions(env: NodeJS.ProcessEnv) {
  return { destination: 2, colorize: colorWanted(env, true), ignore: 'pid,hostname' };
}

/** A logger that drops everything: for tests and for commands that print their own output. */
export function silentLogger(): Logger {
  return loadPino()({ level: 'silent' });
}
