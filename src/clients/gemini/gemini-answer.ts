import type { GenerateContentResponse } from '@google/genai';
import { ModelBlockedError, ModelOutputError } from './language-model.js';

/** The usable part of a generateContent answer. */
export interface GeminiAnswer {
  /** The first candidate's text parts joined, thought parts left out ('' when there were none). */
  text: string;
  /** finishReason MAX_TOKENS: the answer stopped at generationConfig.maxOutputTokens. */
  truncated: boolean;
}

/**
 * Finish reasons that mean "flagged by a filter": the same request is refused again, so these
 * are final. Values from the Candidate.FinishReason enum of the API reference
 * (https://ai.google.dev/api/generate-content), as @google/genai 2.x's FinishReason lists them.
 * OTHER is left out on purpose: Google's own SDK test data has an OTHER finish carrying
 * "Model failed to generate content due to internal error." (FirebaseExtended/vertexai-sdk-test-data,
 * mock-responses/googleai/unary-failure-with-message-no-content.json), which a later try may pass.
 * MALFORMED_FUNCTION_CALL cannot happen without tools (rolplay sends none); it stays retryable.
 */
const BLOCKING_FINISHES = new Set([
  'SAFETY', 'RECITATION', 'LANGUAGE', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII',
  'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION',
]);

/**
 * Reads the first candidate, every field treated as possibly missing:
 * - promptFeedback.blockReason, with no candidates (or an empty list): the prompt was blocked
 *   (https://ai.google.dev/api/generate-content#PromptFeedback; "no candidates are returned only
 *   if there was something wrong with the prompt").
 * - a blocking finishReason: blocked even when partial text came with it (Google's test data
 *   has a SAFETY finish with text, mock-responses/googleai/unary-failure-finish-reason-safety.json),
 *   so that text is never used.
 * - MAX_TOKENS: thinking models count thought tokens against maxOutputTokens and may come back
 *   with `content: {role}` and no parts at all (googleapis/js-genai recording
 *   Client_Tests_generateContent_ML_Dev_should_return_the_headers_in_the_sdkHttpResponse_by_default;
 *   valentinfrlch/ha-llmvision#609).
 * - `thought: true` parts are the model's reasoning summary, never the answer (@google/genai's
 *   own `response.text` skips them too).
 */
export function readAnswer(response: GenerateContentResponse): GeminiAnswer {
  const candidate = response.candidates?.[0];
  const blockReason = response.promptFeedback?.blockReason;
  if (!candidate) {
    if (blockReason) throw new ModelBlockedError('prompt', String(blockReason));
    throw new ModelOutputError('no candidates and no block reason');
  }
  const finish = candidate.finishReason ? String(candidate.finishReason) : undefined;
  if (finish && BLOCKING_FINISHES.has(finish)) throw new ModelBlockedError('answer', finish);
  const parts = candidate.content?.parts ?? [];
  const text = parts.filter((p) => typeof p.text === 'string' && p.thought !== true).map((p) => p.text).join('');
  if (finish === 'MAX_TOKENS') return { text, truncated: true };
  if (text.trim() === '') throw new ModelOutputError(`no text (finishReason ${finish ?? 'missing'})`);
  return { text, truncated: false };
}
