import type { Content, GenerateContentResponse } from '@google/genai';
import { createGeminiConnection, type GeminiConnection } from './gemini-connection.js';
import type { Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import type { Config } from '../../config/schema.js';
import type { GeminiTokenUsage } from '../../support/metrics.js';
import { ModelBlockedError, ModelOutputError, type JsonRequest, type LanguageModel, type ModelTurn, type TextRequest } from './language-model.js';
import { readAnswer, type GeminiAnswer } from './gemini-answer.js';
import { ProviderError } from '../../support/errors.js';
import { toGeminiError } from './gemini-error.js';
import { backoffDelay } from '../../support/backoff.js';

export interface GeminiModelOptions {
  apiKey: string;
  model: string;
  /** "" or undefined: Google's endpoint. An http://127.0.0.1:PORT address reaches a simulator. */
  baseUrl?: string;
  timeoutMs: number;
  /** Calls in flight at once across the whole process (a burst of new meetings queues here). */
  concurrency: number;
  /** The process's client and gate, shared with speech (default: one of its own). */
  connection?: GeminiConnection;
  clock: Clock;
  logger: Logger;
  /** Retries inside one call for 429/5xx/timeouts (default 2); longer waits go back to the job runner. */
  maxRetries?: number;
  /** A server-requested wait longer than this is not slept through here (default 20 s). */
  maxInlineWaitMs?: number;
  /** Backoff before the first in-call retry when the server names no delay (default 1 s). */
  backoffBaseMs?: number;
  /** generationConfig.maxOutputTokens of a first try (default 8,192); a cut answer is asked again with four times that. */
  maxOutputTokens?: number;
  /** Told the tokens of every answer, from its usageMetadata (GET /metrics counts them). */
  onUsage?: (usage: GeminiTokenUsage) => void;
}

interface GenerateExtra {
  schema?: Record<string, unknown>;
  temperature?: number;
}

/**
 * Plans and scores need well under 2,000 tokens of JSON; the rest is room for thinking, which
 * counts against the limit on gemini-2.5-* (googleapis/python-genai#782). 65,536 is the
 * output limit of the 2.5 models (https://ai.google.dev/gemini-api/docs/models).
 */
const DEFAULT_MAX_OUTPUT_TOKENS = 8192;
const MAX_OUTPUT_TOKENS_CEILING = 65_536;

export function createGeminiModelFromConfig(config: Config, clock: Clock, logger: Logger, onUsage?: (usage: GeminiTokenUsage) => void, connection?: GeminiConnection): LanguageModel {
  return createGeminiModel({
    connection,
    apiKey: config.gemini.apiKey,
    model: config.gemini.model,
    baseUrl: config.gemini.baseUrl || undefined,
    timeoutMs: config.gemini.timeoutSeconds * 1000,
    concurrency: config.gemini.concurrency,
    clock,
    logger,
    onUsage,
  });
}

/**
 * Gemini through @google/genai. The SDK's own retry is off (it ignores the server's retry
 * delay): this wrapper retries 429/5xx/timeouts a couple of times, honouring RetryInfo or
 * Retry-After, and hands longer waits to the job runner as a retryable ProviderError.
 */
export function createGeminiModel(options: GeminiModelOptions): LanguageModel {
  const { ai, limit } = options.connection ?? createGeminiConnection(options);
  const maxRetries = options.maxRetries ?? 2;
  const maxInlineWaitMs = options.maxInlineWaitMs ?? 20_000;
  const backoffBaseMs = options.backoffBaseMs ?? 1000;
  const maxOutputTokens = options.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  const log = options.logger;

  /** One generateContent call with in-call retries of 429/5xx/timeouts. */
  async function call(system: string, contents: ModelTurn[], extra: GenerateExtra, maxOutputTokens: number): Promise<GeminiAnswer> {
    for (let attempt = 0; ; attempt++) {
      // The Retry-After header is not on the SDK's ApiError: a per-call fetch keeps it.
      const seen: { retryAfter: string | null } = { retryAfter: null };
      const capture = async (...args: Parameters<typeof fetch>): Promise<Response> => {
        const res = await fetch(...args);
        if (!res.ok) seen.retryAfter = res.headers.get('retry-after');
        return res;
      };
      try {
        const response = await limit(() => ai.models.generateContent({
          model: options.model,
          contents: toContents(contents),
          config: {
            systemInstruction: system,
            maxOutputTokens,
            ...(extra.temperature === undefined ? {} : { temperature: extra.temperature }),
            ...(extra.schema ? { responseMimeType: 'application/json', responseSchema: extra.schema } : {}),
            httpOptions: { fetch: capture },
          },
        }));
        reportUsage(log, options.model, response, options.onUsage);
        return readAnswer(response);
      } catch (error) {
        if (error instanceof ModelOutputError || error instanceof ModelBlockedError) throw error;
        const failure = toGeminiError(error, {
          model: options.model,
          baseUrl: options.baseUrl ?? 'https://generativelanguage.googleapis.com',
          timeoutMs: options.timeoutMs,
          retryAfterHeader: seen.retryAfter,
          secrets: [options.apiKey],
        });
        const wait = failure.retryAfterMs ?? backoffDelay(attempt + 1, { baseMs: backoffBaseMs, maxMs: Number.POSITIVE_INFINITY, jitter: 0.25 });
        if (!failure.retryable || attempt >= maxRetries || wait > maxInlineWaitMs) throw failure;
        log.warn({ err: failure.message, status: failure.status, waitMs: Math.round(wait), attempt: attempt + 1 }, 'Gemini call failed; retrying');
        await sleep(options.clock, wait);
      }
    }
  }

  /**
   * An answer cut at maxOutputTokens (thinking models spend part of it on thoughts) is asked
   * once more with a higher limit when it is structured (cut JSON is useless) or empty; a
   * second cut is final. A cut chat answer with text is used as it is (replies are capped anyway).
   */
  async function generate(system: string, contents: ModelTurn[], extra: GenerateExtra): Promise<string> {
    let limitTokens = maxOutputTokens;
    for (let tries = 1; ; tries++) {
      const answer = await call(system, contents, extra, limitTokens);
      const unusable = answer.truncated && (extra.schema !== undefined || answer.text.trim() === '');
      if (!unusable) {
        if (answer.text.trim() === '') throw new ModelOutputError('no text');
        return answer.text;
      }
      if (tries >= 2 || limitTokens >= MAX_OUTPUT_TOKENS_CEILING) {
        throw new ProviderError(`Gemini stopped at the output limit twice (finishReason MAX_TOKENS at maxOutputTokens ${limitTokens}); the answer is too long for ${options.model}`, {
          provider: 'gemini', retryable: false, code: 'GEMINI_MAX_TOKENS', providerCode: 'MAX_TOKENS',
        });
      }
      const raised = Math.min(limitTokens * 4, MAX_OUTPUT_TOKENS_CEILING);
      log.warn({ maxOutputTokens: limitTokens, raisedTo: raised }, 'Gemini answer cut at the output limit; asking once more with a higher limit');
      limitTokens = raised;
    }
  }

  return {
    async generateJson<T>(request: JsonRequest<T>): Promise<T> {
      const contents = request.contents ?? [{ role: 'user', text: request.prompt ?? '' }];
      const text = await generate(request.system, contents, { schema: request.schema, temperature: request.temperature });
      let parsed: unknown;
      try {
        parsed = JSON.parse(stripFences(text));
      } catch (error) {
        throw new ModelOutputError(`not JSON (${text.length} characters)`, { cause: error });
      }
      try {
        return request.validate(parsed);
      } catch (error) {
        throw new ModelOutputError(`JSON does not match the schema: ${(error as Error).message}`.slice(0, 500), { cause: error });
      }
    },
    async generateText(request: TextRequest): Promise<string> {
      return (await generate(request.system, request.contents, { temperature: request.temperature })).trim();
    },
  };
}

function toContents(turns: ModelTurn[]): Content[] {
  return turns.map((t) => ({
    role: t.role,
    parts: t.audio
      ? [{ inlineData: { mimeType: t.audio.mimeType, data: Buffer.from(t.audio.bytes).toString('base64') } }, { text: t.text }]
      : [{ text: t.text }],
  }));
}

/** Some models wrap JSON in a Markdown fence even in JSON mode. */
function stripFences(text: string): string {
  const m = text.trim().match(/^```(?:json)?\s*([\s\S]*?)\s*```$/i);
  return m ? m[1]! : text;
}

/**
 * usageMetadata as the API reference names it (https://ai.google.dev/api/generate-content#UsageMetadata):
 * promptTokenCount, candidatesTokenCount, thoughtsTokenCount, totalTokenCount; any may be
 * missing (an answer cut before any text has no candidatesTokenCount).
 */
function reportUsage(log: Logger, model: string, response: GenerateContentResponse, onUsage: GeminiModelOptions['onUsage']): void {
  const u = response.usageMetadata;
  log.debug({ model, promptTokens: u?.promptTokenCount, outputTokens: u?.candidatesTokenCount, totalTokens: u?.totalTokenCount }, 'Gemini call');
  if (u) onUsage?.({ prompt: u.promptTokenCount ?? 0, output: u.candidatesTokenCount ?? 0, thoughts: u.thoughtsTokenCount ?? 0 });
}

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(resolve, ms));
}
