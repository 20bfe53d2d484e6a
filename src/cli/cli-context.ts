import type { LoadedConfig } from '../config/load-config.js';
import type { Logger } from '../support/logger.js';
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

/** pino's levels: the logger for any of these can wait until something is logged. */
const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });

/**
 * Loads config and a logger for one command. Commands that print results keep logs at "warn"
 * unless asked, so their own output stays readable; the daemon logs at the configured level.
 * The config schema loads here, not at start-up, so `--help` and commands that need no config
 * start without it (see main.ts).
 */
export async function cliContext(globals: GlobalOptions, io: CliIo, defaultLevel?: string): Promise<CliContext> {
  const [{ loadConfig }, { createLogger }] = await Promise.all([import('../config/load-config.js'), import('../support/logger.js')]);
  const loaded = loadConfig({ configPath: globals.config, env: io.env, cwd: io.cwd });
  const level = globals.logLevel ?? io.env.ROLPLAY_LOG_LEVEL ?? defaultLevel ?? loaded.config.log.level;
  // A level pino does not know fails here, as it did when the logger was made up front.
  let logger: Logger | undefined = LEVELS.has(level) ? undefined : createLogger({ level });
  return {
    loaded,
    config: loaded.config,
    io,
    get logger() {
      return (logger ??= createLogger({ level }));
    },
  };
}

export function print(io: CliIo, text = ''): void {
  io.stdout.write(`${text}\n`);
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
