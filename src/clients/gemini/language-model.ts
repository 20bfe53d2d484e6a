import { TransientError } from '../../support/errors.js';

/**
 * The one thing rolplay asks of a language model, kept small so a scripted fake can stand in
 * for Gemini (tests, `rolplay demo`). Callers never see SDK types.
 */
export interface ModelTurn {
  role: 'user' | 'model';
  text: string;
}

/** A JSON schema (lower-case types, `properties`, `required`, `items`, `enum`, `minItems`...). */
export type JsonSchema = Record<string, unknown>;

export interface JsonRequest<T> {
  /** Instructions: ours only, never text from calendars, CRM or WhatsApp. */
  system: string;
  /** A single user turn; or give `contents`. */
  prompt?: string;
  contents?: ModelTurn[];
  /** Sent as the response schema, so the model answers in exactly this shape. */
  schema: JsonSchema;
  /** Checks the parsed JSON and returns it typed; throws when it does not fit. */
  validate: (value: unknown) => T;
  temperature?: number;
}

export interface TextRequest {
  system: string;
  contents: ModelTurn[];
  temperature?: number;
}

export interface LanguageModel {
  /** Structured output, parsed and validated; ModelOutputError when the model's answer does not fit. */
  generateJson<T>(request: JsonRequest<T>): Promise<T>;
  /** Plain text; ModelOutputError when the model returned nothing usable (blocked, empty). */
  generateText(request: TextRequest): Promise<string>;
}

/**
 * The model answered, but not with something usable (not JSON, a missing field, blocked, empty).
 * Retryable: a second generation usually fits, and a later job attempt may too.
 */
export class ModelOutputError extends TransientError {
  /** Why the output was refused (for logs; never sent to users). */
  readonly reason: string;
  constructor(reason: string, options: { cause?: unknown } = {}) {
    super(`the language model returned unusable output: ${reason}`, { code: 'MODEL_OUTPUT_INVALID', cause: options.cause });
    this.reason = reason;
  }
}
