import { startSim, type FaultPlan, type RunningSim, type SimReply, type SimRequest } from './http-sim.js';
import { defaultReply, fillSchema } from './gemini-sim-replies.js';
import { answerBody, blockedPromptBody, type SimFinish } from './gemini-sim-answers.js';
import { TTS_MODELS, modalityProblem, speechReply, wantsAudio } from './gemini-sim-speech.js';
import { SIM_AUDIO_TYPES, audioReply, type SimAudio } from './gemini-sim-audio.js';

/**
 * A loopback Gemini API: POST /v1beta/models/{model}:generateContent with Google's request and
 * response shapes. It checks x-goog-api-key (or ?key=) like Google (403 without a key, 400
 * API_KEY_INVALID with a wrong one), answers unknown models with 404, honours the request's
 * response schema and maxOutputTokens (thoughts count against it), reports usageMetadata, and
 * can answer 429 RESOURCE_EXHAUSTED with RetryInfo, 500 or 503, a blocked prompt, an answer
 * stopped by SAFETY / RECITATION / MAX_TOKENS, and thought parts (shapes and sources in
 * gemini-sim-answers.ts). Tests queue scripted replies; without a script the replies are deterministic,
 * plausible coaching text built from the prompt (what `rolplay demo` shows).
 */
export const GEMINI_SIM_KEY = 'AIzaSy-rolplay-simulator-key-000000000';

export interface GeminiSimCall {
  model: string;
  system: string;
  contents: Array<{ role: string; text: string }>;
  /** The response schema asked for (responseSchema or responseJsonSchema), if any. */
  schema: Record<string, unknown> | undefined;
  generationConfig: Record<string, unknown>;
  /** Inline audio parts of the request, decoded (gemini-sim-audio.ts). */
  audio: SimAudio[];
}

/** What a scripted answer may add: thought parts before it, and the thought tokens it spends. */
interface Thinking {
  thoughts?: string;
  thinkingTokens?: number;
}

/** One scripted answer. */
export type GeminiScriptItem =
  | ({ text: string } & Thinking)
  | ({ json: unknown } & Thinking)
  /** JSON of the requested schema, with some fields replaced. */
  | ({ patch: Record<string, unknown> } & Thinking)
  | { error: 429 | 500 | 503 | 400 | 404; retryDelaySeconds?: number; retryAfterHeader?: string; message?: string }
  /** The prompt is blocked: promptFeedback.blockReason (SAFETY, OTHER, BLOCKLIST, PROHIBITED_CONTENT...), no candidates. */
  | { blocked: string }
  /** The answer stops with this finishReason, with `text` (partial) or without content. */
  | ({ finish: Exclude<SimFinish, 'STOP'>; text?: string } & Thinking)
  | ((call: GeminiSimCall) => GeminiScriptItem);

export interface GeminiSimOptions {
  apiKey?: string;
  /** Models that exist (default: a few current Gemini models). */
  models?: string[];
  port?: number;
  faults?: FaultPlan;
}

export interface GeminiSim {
  url: string;
  apiKey: string;
  /** Every generateContent call that passed authentication, in order. */
  calls: GeminiSimCall[];
  requests: SimRequest[];
  sim: RunningSim;
  /** Queues answers for the next calls; later calls fall back to the default replies. */
  script(...items: GeminiScriptItem[]): void;
  /**
   * Queues answers for the next calls with inline audio (transcriptions), which otherwise read
   * the transcript from the recording (gemini-sim-audio.ts) and never take script() items.
   */
  scriptAudio(...items: GeminiScriptItem[]): void;
  /** Scripted answers not used yet. */
  pending(): number;
  close(): Promise<void>;
}

export async function startGeminiSimulator(options: GeminiSimOptions = {}): Promise<GeminiSim> {
  const apiKey = options.apiKey ?? GEMINI_SIM_KEY;
  const models = new Set(options.models ?? ['gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.5-pro', 'gemini-2.0-flash', ...TTS_MODELS]);
  const calls: GeminiSimCall[] = [];
  const queue: GeminiScriptItem[] = [];
  const audioQueue: GeminiScriptItem[] = [];

  const handler = (req: SimRequest): SimReply => {
    const m = /^\/(v1beta|v1)\/models\/([^/:]+):generateContent$/.exec(req.path);
    if (!m) return googleError(404, 'NOT_FOUND', `Method not found: ${req.method} ${req.path}`);
    if (req.method !== 'POST') return googleError(405, 'METHOD_NOT_ALLOWED', 'Use POST.');
    const key = headerValue(req.headers['x-goog-api-key']) ?? req.query.get('key');
    if (!key) return googleError(403, 'PERMISSION_DENIED', 'Method doesn\'t allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.');
    if (key !== apiKey) {
      return googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
      ]);
    }
    const model = m[2]!;
    if (!models.has(model)) return googleError(404, 'NOT_FOUND', `models/${model} is not found for API version ${m[1]}, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      return googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    }
    const call = parseCall(model, body);
    if (typeof call === 'string') return googleError(400, 'INVALID_ARGUMENT', call);
    const modality = modalityProblem(call);
    if (modality) return googleError(400, 'INVALID_ARGUMENT', modality);
    calls.push(call);
    // Speech calls (gemini-sim-speech.ts) answer with audio unless a script says otherwise.
    if (wantsAudio(call) && queue.length === 0) return speechReply(call);
    // Transcriptions (gemini-sim-audio.ts) take their own script, then the tag in the audio.
    let item: GeminiScriptItem = call.audio.length > 0 ? audioQueue.shift() ?? audioReply(call)! : queue.shift() ?? defaultReply;
    while (typeof item === 'function') item = item(call);
    return answer(call, item);
  };

  const sim = await startSim(handler, { port: options.port, faults: options.faults });
  return {
    url: sim.url,
    apiKey,
    calls,
    requests: sim.requests,
    sim,
    script: (...items) => void queue.push(...items),
    scriptAudio: (...items) => void audioQueue.push(...items),
    pending: () => queue.length + audioQueue.length,
    close: () => sim.close(),
  };
}

function parseCall(model: string, body: Record<string, unknown>): GeminiSimCall | string {
  const contents = Array.isArray(body.contents) ? body.contents : [];
  if (contents.length === 0) return '* GenerateContentRequest.contents: contents is not specified';
  const textOf = (c: unknown) => (Array.isArray((c as { parts?: unknown })?.parts) ? (c as { parts: Array<{ text?: unknown }> }).parts : [])
    .map((p) => (typeof p?.text === 'string' ? p.text : '')).join('');
  const generationConfig = (typeof body.generationConfig === 'object' && body.generationConfig !== null ? body.generationConfig : {}) as Record<string, unknown>;
  const schema = (generationConfig.responseSchema ?? generationConfig.responseJsonSchema) as Record<string, unknown> | undefined;
  if (schema && generationConfig.responseMimeType !== 'application/json') {
    return '* GenerateContentRequest.generation_config.response_mime_type: must be application/json when response_schema is set';
  }
  const audio: SimAudio[] = [];
  for (const c of contents) {
    for (const p of (Array.isArray((c as { parts?: unknown })?.parts) ? (c as { parts: Array<{ inlineData?: { mimeType?: unknown; data?: unknown } }> }).parts : [])) {
      if (!p?.inlineData) continue;
      const mimeType = String(p.inlineData.mimeType ?? '').split(';')[0]!.trim().toLowerCase();
      const data = typeof p.inlineData.data === 'string' ? p.inlineData.data : '';
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data === '') return '* GenerateContentRequest.contents.parts.inline_data.data: Invalid value (bytes)';
      if (mimeType.startsWith('audio/') && !SIM_AUDIO_TYPES.has(mimeType)) return `Unsupported MIME type: ${mimeType}`;
      if (mimeType.startsWith('audio/')) audio.push({ mimeType, bytes: Buffer.from(data, 'base64') });
    }
  }
  return {
    model,
    audio,
    system: body.systemInstruction ? textOf(body.systemInstruction) : '',
    contents: contents.map((c) => ({ role: String((c as { role?: unknown })?.role ?? 'user'), text: textOf(c) })),
    schema,
    generationConfig,
  };
}

function answer(call: GeminiSimCall, item: Exclude<GeminiScriptItem, (call: GeminiSimCall) => GeminiScriptItem>): SimReply {
  if ('error' in item) {
    if (item.error === 429) {
      // Shape of a free-tier 429 as users report it (googleapis/python-genai#2044,
      // continuedev/continue#10066): Help, then QuotaFailure violations with quotaDimensions,
      // then RetryInfo; the message repeats the metric and the wait.
      const delay = item.retryDelaySeconds ?? 1;
      const dimensions = { location: 'global', model: call.model };
      const reply = googleError(429, 'RESOURCE_EXHAUSTED', item.message ?? `You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/rate-limit. \n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 10, model: ${call.model}\nPlease retry in ${delay}s.`, [
        { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] },
        { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier', quotaDimensions: dimensions }] },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${delay}s` },
      ]);
      if (item.retryAfterHeader) reply.headers = { 'Retry-After': item.retryAfterHeader };
      return reply;
    }
    const statuses: Record<number, string> = { 400: 'INVALID_ARGUMENT', 404: 'NOT_FOUND', 500: 'INTERNAL', 503: 'UNAVAILABLE' };
    const messages: Record<number, string> = { 500: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting', 503: 'The model is overloaded. Please try again later.' };
    const reply = googleError(item.error, statuses[item.error] ?? 'UNKNOWN', item.message ?? messages[item.error] ?? 'Request failed.');
    if (item.retryAfterHeader) reply.headers = { 'Retry-After': item.retryAfterHeader };
    return reply;
  }
  if ('blocked' in item) return { status: 200, body: blockedPromptBody(call, item.blocked) };
  const thinking = { thoughts: item.thoughts, thinkingTokens: item.thinkingTokens };
  if ('finish' in item) return { status: 200, body: answerBody(call, { ...thinking, text: item.text, finish: item.finish }) };
  let text: string;
  if ('text' in item) text = item.text;
  else if ('json' in item) text = JSON.stringify(item.json);
  else text = JSON.stringify({ ...(fillSchema(call) as Record<string, unknown>), ...item.patch });
  return { status: 200, body: answerBody(call, { ...thinking, text, finish: 'STOP' }) };
}

/** Google's error body: {error: {code, message, status, details?}}. */
function googleError(code: number, status: string, message: string, details?: unknown[]): SimReply {
  return { status: code, body: { error: { code, message, status, ...(details ? { details } : {}) } } };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
