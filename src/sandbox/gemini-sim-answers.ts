import { createHash } from 'node:crypto';
import type { GeminiSimCall } from './gemini-simulator.js';

/**
 * Bodies of a 200 generateContent answer, shaped after Google's own recordings and test data:
 * - a gemini-2.5-flash answer recorded by googleapis/js-genai (test/system/recordings/
 *   Client_Tests_generateContent_ML_Dev_should_generate_content_with_system_instruction.json):
 *   candidates[{content: {parts, role}, finishReason, index}], modelVersion, responseId,
 *   usageMetadata {candidatesTokenCount, promptTokenCount, promptTokensDetails,
 *   thoughtsTokenCount, totalTokenCount}; no safetyRatings on an ordinary 2.5 answer.
 * - thought parts: FirebaseExtended/vertexai-sdk-test-data mock-responses/googleai/
 *   unary-success-thinking-reply-thought-summary.json ({text, thought: true} before the answer).
 *   The real API sends them only when thinkingConfig.includeThoughts is set; the simulator sends
 *   them whenever a test scripts them, which is harsher, not friendlier.
 * - MAX_TOKENS: thought tokens count against maxOutputTokens; when they use it all the candidate
 *   is `content: {role: "model"}` with no parts and usageMetadata has no candidatesTokenCount
 *   (js-genai recording Client_Tests_generateContent_ML_Dev_should_return_the_headers_in_the_
 *   sdkHttpResponse_by_default.json; valentinfrlch/ha-llmvision#609); otherwise the text is cut
 *   (js-genai recording ..._should_generate_content_with_specified_parameters.json).
 * - SAFETY finish: partial text may come with it, plus safetyRatings with the offending category
 *   marked blocked (vertexai-sdk-test-data googleai/unary-failure-finish-reason-safety.json,
 *   vertexai/unary-failure-finish-reason-safety-no-content.json).
 * - a blocked prompt: promptFeedback {blockReason, safetyRatings} and no candidates
 *   (vertexai/unary-failure-prompt-blocked-safety.json; google-gemini/deprecated-generative-ai-python#126).
 * Not verified: whether usageMetadata, modelVersion and responseId come with a blocked prompt
 * (the SDK test data omits them; the REST reference marks them output-only), and whether a
 * RECITATION finish carries safetyRatings (it is sent here without them).
 */
export type SimFinish = 'STOP' | 'MAX_TOKENS' | 'SAFETY' | 'RECITATION' | 'LANGUAGE' | 'OTHER' | 'BLOCKLIST' | 'PROHIBITED_CONTENT' | 'SPII';

export interface SimAnswer {
  text?: string;
  thoughts?: string;
  finish: SimFinish;
  /** Thought tokens the model spends (default: a few dozen on a thinking model, none otherwise). */
  thinkingTokens?: number;
}

const CATEGORIES = ['HARM_CATEGORY_HATE_SPEECH', 'HARM_CATEGORY_DANGEROUS_CONTENT', 'HARM_CATEGORY_HARASSMENT', 'HARM_CATEGORY_SEXUALLY_EXPLICIT'];

/** gemini-2.5-* think by default (https://ai.google.dev/gemini-api/docs/thinking); 2.0 models do not. */
export function thinks(model: string): boolean {
  return /^gemini-(2\.5|[3-9])/.test(model);
}

export function tokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function promptTokens(call: GeminiSimCall): number {
  return tokens(call.system) + call.contents.reduce((n, c) => n + tokens(c.text), 0);
}

export function answerBody(call: GeminiSimCall, answer: SimAnswer): Record<string, unknown> {
  const prompt = promptTokens(call);
  const limit = Number(call.generationConfig.maxOutputTokens ?? Infinity);
  let thinking = answer.thinkingTokens ?? Math.max(answer.thoughts ? tokens(answer.thoughts) : 0, thinks(call.model) ? 16 + (prompt % 48) : 0);
  let text = answer.text;
  let finish = answer.finish;
  // The output limit covers thoughts and text together; what does not fit is cut.
  if (thinking >= limit) {
    thinking = limit;
    text = undefined;
    finish = 'MAX_TOKENS';
  } else if (text !== undefined && thinking + tokens(text) > limit) {
    text = text.slice(0, (limit - thinking) * 4);
    finish = 'MAX_TOKENS';
  }
  const parts = [
    ...(answer.thoughts && text !== undefined ? [{ text: answer.thoughts, thought: true }] : []),
    ...(text !== undefined ? [{ text }] : []),
  ];
  // 2.0 models answer with avgLogprobs and candidatesTokensDetails and no index; 2.5 models the
  // other way round (js-genai recordings of both; Google's SDK test data for 2.0-flash).
  const legacy = !thinks(call.model);
  const candidate: Record<string, unknown> = {
    ...(parts.length > 0 || finish === 'MAX_TOKENS' ? { content: parts.length > 0 ? { parts, role: 'model' } : { role: 'model' } } : {}),
    finishReason: finish,
    ...(legacy ? {} : { index: 0 }),
    ...(finish === 'SAFETY' ? { safetyRatings: safetyRatings('HARM_CATEGORY_HARASSMENT', true) } : {}),
    ...(legacy && text !== undefined ? { avgLogprobs: -0.1409881591796875 } : {}),
  };
  // Thought summaries are counted in thoughtsTokenCount, not candidatesTokenCount (the thought-summary test data: 2 and 24).
  const candidatesTokenCount = text !== undefined ? tokens(text) : 0;
  return {
    candidates: [candidate],
    ...meta(call),
    usageMetadata: {
      ...(candidatesTokenCount > 0 ? { candidatesTokenCount } : {}),
      ...(legacy && candidatesTokenCount > 0 ? { candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: candidatesTokenCount }] } : {}),
      promptTokenCount: prompt,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
      ...(thinking > 0 ? { thoughtsTokenCount: thinking } : {}),
      totalTokenCount: prompt + candidatesTokenCount + thinking,
    },
  };
}

export function blockedPromptBody(call: GeminiSimCall, blockReason: string): Record<string, unknown> {
  const prompt = promptTokens(call);
  return {
    promptFeedback: { blockReason, ...(blockReason === 'SAFETY' ? { safetyRatings: safetyRatings('HARM_CATEGORY_HATE_SPEECH', false) } : {}) },
    usageMetadata: { promptTokenCount: prompt, promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }], totalTokenCount: prompt },
    ...meta(call),
  };
}

/**
 * One rating per category; the one that tripped the filter is MEDIUM. A candidate's rating
 * carries `blocked: true` (vertexai-sdk-test-data unary-failure-finish-reason-safety-no-content.json);
 * a prompt's ratings do not (unary-failure-prompt-blocked-safety.json).
 */
function safetyRatings(blockedCategory: string, markBlocked: boolean): Array<Record<string, unknown>> {
  return CATEGORIES.map((category) => (category === blockedCategory
    ? { category, probability: 'MEDIUM', ...(markBlocked ? { blocked: true } : {}) }
    : { category, probability: 'NEGLIGIBLE' }));
}

function meta(call: GeminiSimCall): { modelVersion: string; responseId: string } {
  // Google's responseId is a 22-23 character URL-safe id ("hi77aOvyCJ-jvr0P8syDgQw").
  const id = createHash('sha256').update(`${Date.now()}:${Math.random()}:${call.model}`).digest('base64url').slice(0, 23);
  return { modelVersion: call.model, responseId: id };
}
