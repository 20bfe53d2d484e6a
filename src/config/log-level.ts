/** pino's levels, plus silent: what log.level, ROLPLAY_LOG_LEVEL and --log-level accept. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** The one check behind --log-level, ROLPLAY_LOG_LEVEL and log.level: why `value` is refused, or undefined. */
export function logLevelProblem(value: string): string | undefined {
  return isLogLevel(value) ? undefined : `"${value}" is not a log level; use one of ${LOG_LEVELS.join(', ')}`;
}
