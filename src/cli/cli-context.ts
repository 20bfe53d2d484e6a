import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import { createLogger, type Logger } from '../support/logger.js';
import { ConfigError } from '../support/errors.js';
import { logLevelProblem } from '../config/log-level.js';
import type { Config } from '../config/schema.js';

export interface GlobalOptions {
  config?: string;
  logLevel?: string;
}

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface CliContext {
  loaded: LoadedConfig;
  config: Config;
  logger: Logger;
  io: CliIo;
}

export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });

/**
 * Loads config and a logger for one command. Commands that print results keep logs at "warn"
 * unless asked, so their own output stays readable, and log human lines (`rolplay: warning:
 * ...`); the daemon (`daemon: true`) logs JSON at the configured level.
 */
export function cliContext(globals: GlobalOptions, io: CliIo, defaultLevel?: string, options: { daemon?: boolean } = {}): CliContext {
  const flagOrEnv = requestedLogLevel(globals, io.env);
  const loaded = loadConfig({ configPath: globals.config, env: io.env, cwd: io.cwd });
  const level = flagOrEnv ?? defaultLevel ?? loaded.config.log.level;
  // The daemon logs JSON (pretty on a TTY) for log collectors; a command's warnings are for a person.
  const logger = createLogger({ level, env: io.env, human: options.daemon ? undefined : io.stderr });
  return { loaded, config: loaded.config, logger, io };
}

/**
 * --log-level, else ROLPLAY_LOG_LEVEL, checked as log.level is (pino's own error names neither):
 * a bad value is a config error naming the option or variable, exit 2.
 */
export function requestedLogLevel(globals: GlobalOptions, env: NodeJS.ProcessEnv): string | undefined {
  const [origin, value] = globals.logLevel !== undefined ? ['--log-level', globals.logLevel] : ['ROLPLAY_LOG_LEVEL (log.level)', env.ROLPLAY_LOG_LEVEL || undefined];
  const problem = value === undefined ? undefined : logLevelProblem(value);
  if (problem) throw new ConfigError(`${origin}: ${problem}`);
  return value;
}

export function print(io: CliIo, text = ''): void {
  io.stdout.write(`${text}\n`);
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
