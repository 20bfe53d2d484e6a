import { ProviderError, TransientError } from '../../support/errors.js';

/**
 * The one thing rolplay asks of a language model, kept small so a scripted fake can stand in
 * for Gemini (tests, `rolplay demo`). Callers never see SDK types.
 */
export interface ModelTurn {
  role: 'user' | 'model';
  text: string;
  /**
   * Audio sent with the text (a voice note to transcribe): an inline data part before the text,
   * base64-encoded on the wire. Inline data is for requests under 20 MB in all
   * (https://ai.google.dev/gemini-api/docs/audio); voice notes stay far below.
   */
  audio?: { mimeType: string; bytes: Uint8Array };
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
  /**
   * Plain text; ModelOutputError when the model returned nothing usable (empty). Both methods
   * throw ModelBlockedError when Gemini refused the prompt or the answer.
   */
  generateText(request: TextRequest): Promise<string>;
}

/**
 * The model answered, but not with something usable (not JSON, a missing field, empty).
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

/** Where Gemini refused: the prompt (promptFeedback.blockReason) or the answer (candidate finishReason). */
export type BlockStage = 'prompt' | 'answer';

/**
 * Gemini refused: the prompt was blocked, or the answer was stopped by a filter (SAFETY,
 * RECITATION, BLOCKLIST, PROHIBITED_CONTENT, SPII...). Final: the same request gets the same
 * refusal, so it is not retryable; a caller may rephrase once. The message starts with
 * "Gemini blocked" so that stored job errors can be counted (`rolplay doctor`).
 */
export class ModelBlockedError extends ProviderError {
  readonly stage: BlockStage;
  /** The blockReason or finishReason as Gemini sent it. */
  readonly reason: string;
  constructor(stage: BlockStage, reason: string) {
    super(`Gemini blocked the ${stage} (${stage === 'prompt' ? 'blockReason' : 'finishReason'} ${reason}); the same request would be refused again`, {
      provider: 'gemini', retryable: false, code: 'GEMINI_BLOCKED', providerCode: reason,
    });
    this.stage = stage;
    this.reason = reason;
  }
}

/** True for the refusals a conversation answers politely instead of failing: blocks and answers cut at the output limit. */
export function isModelRefusal(error: unknown): error is ProviderError {
  return error instanceof ModelBlockedError || (error instanceof ProviderError && error.code === 'GEMINI_MAX_TOKENS');
}
