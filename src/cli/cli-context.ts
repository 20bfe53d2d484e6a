import type { LoadedConfig } from '../config/validate-config.js';
import type { Logger } from '../support/logger.js';
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
  /** Created on first use: a command that logs nothing never loads the logging library. */
  readonly logger: Logger;
  io: CliIo;
}


export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });

/**
 * Loads config and a logger for one command. Commands that print results keep logs at "warn"
 * unless asked, so their own output stays readable, and log human lines (`rolplay: warning:
 * ...`); the daemon (`daemon: true`) logs JSON at the configured level. The config schema loads
 * here, not at start-up, so `--help` and commands that need no config start without it (see
 * main.ts); the logger (and pino) only when something logs.
 */
export async function cliContext(globals: GlobalOptions, io: CliIo, defaultLevel?: string, options: { daemon?: boolean } = {}): Promise<CliContext> {
  const flagOrEnv = requestedLogLevel(globals, io.env);
  const [{ validateConfig, finishConfig }, { createLogger }] = await Promise.all([import('../config/validate-config.js'), import('../support/logger.js')]);
  const validated = validateConfig({ configPath: globals.config, env: io.env, cwd: io.cwd });
  // libphonenumber's metadata loads only for a config that holds a phone number to check.
  const loaded = finishConfig(validated, validated.phoneKeys.length > 0 ? (await import('../domain/phone.js')).parsePhone : undefined);
  const level = flagOrEnv ?? defaultLevel ?? loaded.config.log.level;
  let logger: Logger | undefined;
  return {
    loaded,
    config: loaded.config,
    io,
    get logger() {
      // The daemon logs JSON (pretty on a TTY) for log collectors; a command's warnings are for a person.
      return (logger ??= createLogger({ level, env: io.env, human: options.daemon ? undefined : io.stderr }));
    },
  };
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
