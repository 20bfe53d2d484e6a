/**
 * One small error family. Every failure a user or operator can see is a RolplayError with a
 * stable `code`, the process exit code it maps to, and the message names the setting or
 * command that fixes it. Clients translate SDK/HTTP failures into ProviderError so the job
 * runner can decide between "retry later" and "give up and tell someone".
 */
export interface RolplayErrorOptions {
  code?: string;
  exitCode?: number;
  cause?: unknown;
}

export class RolplayError extends Error {
  readonly code: string;
  readonly exitCode: number;

  constructor(message: string, options: RolplayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? 'ROLPLAY_ERROR';
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Bad configuration: exit 2, one line per problem. */
export class ConfigError extends RolplayError {
  readonly problems: string[];
  constructor(problems: string[] | string, options: RolplayErrorOptions = {}) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.join('\n'), { code: 'CONFIG_INVALID', exitCode: 2, ...options });
    this.problems = list;
  }
}

/** Why the store refused: each maps from SQLite's and PostgreSQL's codes in store/store-errors.ts. */
export type StoreFailure = 'locked' | 'full' | 'io' | 'readonly' | 'cantopen' | 'corrupt' | 'unreachable';

export interface StoreErrorOptions extends RolplayErrorOptions {
  reason?: StoreFailure;
  /** The condition may pass (a lock released, space freed): the webhook answers 503, jobs retry. */
  retryable?: boolean;
}

/** The store cannot be opened, migrated or written: exit 2. */
export class StoreError extends RolplayError {
  readonly reason: StoreFailure | undefined;
  readonly retryable: boolean;
  constructor(message: string, options: StoreErrorOptions = {}) {
    super(message, { code: 'STORE_ERROR', exitCode: 2, ...options });
    this.reason = options.reason;
    this.retryable = options.retryable ?? false;
  }
}

/** The user asked for something that does not make sense (bad argument, unknown id): exit 1. */
export class UsageError extends RolplayError {
  constructor(message: string, options: RolplayErrorOptions = {}) {
    super(message, { code: 'USAGE', exitCode: 1, ...options });
  }
}

export class NotFoundError extends RolplayError {
  constructor(message: string, options: RolplayErrorOptions = {}) {
    super(message, { code: 'NOT_FOUND', exitCode: 1, ...options });
  }
}

export type Provider = 'microsoft' | 'graph' | 'gemini' | 'twilio' | 'hubspot';

export interface ProviderErrorOptions extends RolplayErrorOptions {
  provider: Provider;
  /** Worth trying again later (429, 5xx, timeouts, connection resets). */
  retryable: boolean;
  /** Server-requested wait (Retry-After, retryDelay), in milliseconds. */
  retryAfterMs?: number;
  /** HTTP status, when there was a response. */
  status?: number;
  /** The provider's own error code (Twilio 63016, Graph syncStateNotFound, ...). */
  providerCode?: string | number;
  /**
   * The request may have reached the provider and taken effect although no answer came back
   * (timeout or connection reset after sending). Senders check the provider before resending.
   */
  ambiguous?: boolean;
}

/** A call to one of the four clouds (or the Microsoft token endpoint) failed. */
export class ProviderError extends RolplayError {
  readonly provider: Provider;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly providerCode: string | number | undefined;
  readonly ambiguous: boolean;

  constructor(message: string, options: ProviderErrorOptions) {
    super(message, { code: options.code ?? `${options.provider.toUpperCase()}_ERROR`, exitCode: options.exitCode ?? 1, cause: options.cause });
    this.provider = options.provider;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.providerCode = options.providerCode;
    this.ambiguous = options.ambiguous ?? false;
  }
}

/** Not now, maybe later: the job runner backs off and tries again (e.g. invalid model output). */
export class TransientError extends RolplayError {
  readonly retryAfterMs: number | undefined;
  /** Not a failure: the job waits for something to happen (retryAfterMs) and keeps its attempt. */
  readonly deferral: boolean;
  constructor(message: string, options: RolplayErrorOptions & { retryAfterMs?: number; deferral?: boolean } = {}) {
    super(message, { code: options.code ?? 'TRANSIENT', exitCode: 1, cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
    this.deferral = options.deferral === true && options.retryAfterMs !== undefined;
  }
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof ProviderError) return error.retryable;
  if (error instanceof TransientError) return true;
  if (error instanceof StoreError) return error.retryable;
  // Raw driver errors that escaped store/store-errors.ts: a busy file or a dropped connection.
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'ECONNRESET' || code === 'ECONNREFUSED' || code === '57P01';
}

export function retryAfterOf(error: unknown): number | undefined {
  if (error instanceof ProviderError || error instanceof TransientError) return error.retryAfterMs;
  return undefined;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Parses an HTTP Retry-After header (delta-seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
