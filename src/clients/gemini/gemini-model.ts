import { GoogleGenAI, type Content, type GenerateContentResponse } from '@google/genai';
import pLimit from 'p-limit';
import type { Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import type { Config } from '../../config/schema.js';
import { ModelOutputError, type JsonRequest, type LanguageModel, type ModelTurn, type TextRequest } from './language-model.js';
import { toGeminiError } from './gemini-error.js';

export interface GeminiModelOptions {
  apiKey: string;
  model: string;
  /** "" or undefined: Google's endpoint. An http://127.0.0.1:PORT address reaches a simulator. */
  baseUrl?: string;
  timeoutMs: number;
  /** Calls in flight at once across the whole process (a burst of new meetings queues here). */
  concurrency: number;
  clock: Clock;
  logger: Logger;
  /** Retries inside one call for 429/5xx/timeouts (default 2); longer waits go back to the job runner. */
  maxRetries?: number;
  /** A server-requested wait longer than this is not slept through here (default 20 s). */
  maxInlineWaitMs?: number;
  /** Backoff before the first in-call retry when the server names no delay (default 1 s). */
  backoffBaseMs?: number;
}

export function createGeminiModelFromConfig(config: Config, clock: Clock, logger: Logger): LanguageModel {
  return createGeminiModel({
    apiKey: config.gemini.apiKey,
    model: config.gemini.model,
    baseUrl: config.gemini.baseUrl || undefined,
    timeoutMs: config.gemini.timeoutSeconds * 1000,
    concurrency: config.gemini.concurrency,
    clock,
    logger,
  });
}

/**
 * Gemini through @google/genai. The SDK's own retry is off (it ignores the server's retry
 * delay): this wrapper retries 429/5xx/timeouts a couple of times, honouring RetryInfo or
 * Retry-After, and hands longer waits to the job runner as a retryable ProviderError.
 */
export function createGeminiModel(options: GeminiModelOptions): LanguageModel {
  const ai = new GoogleGenAI({
    apiKey: options.apiKey,
    vertexai: false,
    httpOptions: { ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}), timeout: options.timeoutMs },
  });
  const limit = pLimit(options.concurrency);
  const maxRetries = options.maxRetries ?? 2;
  const maxInlineWaitMs = options.maxInlineWaitMs ?? 20_000;
  const backoffBaseMs = options.backoffBaseMs ?? 1000;
  const log = options.logger;

  async function generate(system: string, contents: ModelTurn[], extra: { schema?: Record<string, unknown>; temperature?: number }): Promise<string> {
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
            ...(extra.temperature === undefined ? {} : { temperature: extra.temperature }),
            ...(extra.schema ? { responseMimeType: 'application/json', responseSchema: extra.schema } : {}),
            httpOptions: { fetch: capture },
          },
        }));
        logUsage(log, options.model, response);
        return textOf(response);
      } catch (error) {
        if (error instanceof ModelOutputError) throw error;
        const failure = toGeminiError(error, {
          model: options.model,
          baseUrl: options.baseUrl ?? 'https://generativelanguage.googleapis.com',
          timeoutMs: options.timeoutMs,
          retryAfterHeader: seen.retryAfter,
          secrets: [options.apiKey],
        });
        const wait = failure.retryAfterMs ?? backoffBaseMs * 2 ** attempt * (0.75 + Math.random() / 2);
        if (!failure.retryable || attempt >= maxRetries || wait > maxInlineWaitMs) throw failure;
        log.warn({ status: failure.status, waitMs: Math.round(wait), attempt: attempt + 1 }, 'Gemini call failed; retrying');
        await sleep(options.clock, wait);
      }
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
  return turns.map((t) => ({ role: t.role, parts: [{ text: t.text }] }));
}

/** The first candidate's text parts, without "thought" parts; every field may be missing. */
function textOf(response: GenerateContentResponse): string {
  const candidate = response.candidates?.[0];
  const parts = candidate?.content?.parts ?? [];
  const text = parts.filter((p) => typeof p.text === 'string' && p.thought !== true).map((p) => p.text).join('');
  if (text.trim() === '') {
    const why = response.promptFeedback?.blockReason ? `prompt blocked (${response.promptFeedback.blockReason})` : `no text (finishReason ${candidate?.finishReason ?? 'missing'})`;
    throw new ModelOutputError(why);
  }
  return text;
}

/** Some models wrap JSON in a Markdown fence even in JSON mode. */
function stripFences(text: string): string {
  const m = text.trim().match(/^```(?:json)?\s*([\s\S]*?)\s*```$/i);
  return m ? m[1]! : text;
}

function logUsage(log: Logger, model: string, response: GenerateContentResponse): void {
  const u = response.usageMetadata;
  log.debug({ model, promptTokens: u?.promptTokenCount, outputTokens: u?.candidatesTokenCount, totalTokens: u?.totalTokenCount }, 'Gemini call');
}

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(resolve, ms));
}
