import { Modality, type GenerateContentResponse } from '@google/genai';
import { createGeminiConnection, type GeminiConnection } from './gemini-connection.js';
import type { Config } from '../../config/schema.js';
import type { Logger } from '../../support/logger.js';
import { ModelBlockedError, ModelOutputError } from './language-model.js';
import { toGeminiError } from './gemini-error.js';
import type { SpeechAudio, SpeechModel, SpeechRequest } from './speech-model.js';

export interface GeminiSpeechOptions {
  apiKey: string;
  /** A TTS-capable model (gemini.speechModel). */
  model: string;
  /** A prebuilt voice name (gemini.speechVoice). */
  voice: string;
  baseUrl?: string;
  timeoutMs: number;
  concurrency: number;
  /** The process's client and gate, shared with the language model (default: one of its own). */
  connection?: GeminiConnection;
  logger: Logger;
}

export function createGeminiSpeechFromConfig(config: Config, logger: Logger, connection?: GeminiConnection): SpeechModel {
  return createGeminiSpeech({
    connection,
    apiKey: config.gemini.apiKey,
    model: config.gemini.speechModel,
    voice: config.gemini.speechVoice,
    baseUrl: config.gemini.baseUrl || undefined,
    timeoutMs: config.gemini.timeoutSeconds * 1000,
    concurrency: config.gemini.concurrency,
    logger,
  });
}

/**
 * Gemini speech generation through @google/genai: generateContent on a TTS model with
 * `responseModalities: ["AUDIO"]` and `speechConfig.voiceConfig.prebuiltVoiceConfig.voiceName`
 * (ai.google.dev/gemini-api/docs/speech-generation; the same shape in Google's SDK samples).
 * The audio comes back base64 in `candidates[0].content.parts[].inlineData`. No temperature
 * and no style text: the 3.8 TTS models refuse temperature/topP/topK with INVALID_ARGUMENT and
 * read instructions written into the text aloud (Gemini TTS migration guide). No retries here:
 * a reply is waiting, and when speech fails the reply goes out as text.
 */
export function createGeminiSpeech(options: GeminiSpeechOptions): SpeechModel {
  const { ai, limit } = options.connection ?? createGeminiConnection(options);
  return {
    async speak(request: SpeechRequest): Promise<SpeechAudio> {
      let response: GenerateContentResponse;
      try {
        response = await limit(() => ai.models.generateContent({
          model: options.model,
          contents: [{ role: 'user', parts: [{ text: request.text }] }],
          config: {
            responseModalities: [Modality.AUDIO],
            speechConfig: {
              voiceConfig: { prebuiltVoiceConfig: { voiceName: options.voice } },
              // "The language code (ISO 639-1) for the speech synthesis" (@google/genai SpeechConfig).
              ...(request.language ? { languageCode: request.language } : {}),
            },
          },
        }));
      } catch (error) {
        throw toGeminiError(error, {
          model: options.model,
          baseUrl: options.baseUrl ?? 'https://generativelanguage.googleapis.com',
          timeoutMs: options.timeoutMs,
          secrets: [options.apiKey],
        });
      }
      const audio = readAudio(response);
      options.logger.debug({ model: options.model, bytes: audio.audio.length, mimeType: audio.mimeType }, 'Gemini speech');
      return audio;
    },
  };
}

/** The first inline audio part of the first candidate; a block or an answer without audio throws. */
function readAudio(response: GenerateContentResponse): SpeechAudio {
  const candidate = response.candidates?.[0];
  if (!candidate) {
    const blockReason = response.promptFeedback?.blockReason;
    if (blockReason) throw new ModelBlockedError('prompt', String(blockReason));
    throw new ModelOutputError('no candidates and no block reason');
  }
  const finish = candidate.finishReason ? String(candidate.finishReason) : undefined;
  const part = (candidate.content?.parts ?? []).find((p) => typeof p.inlineData?.data === 'string' && p.inlineData.data !== '');
  if (!part?.inlineData?.data) {
    if (finish && finish !== 'STOP' && finish !== 'MAX_TOKENS') throw new ModelBlockedError('answer', finish);
    throw new ModelOutputError(`no audio in the answer (finishReason ${finish ?? 'missing'})`);
  }
  return { audio: new Uint8Array(Buffer.from(part.inlineData.data, 'base64')), mimeType: part.inlineData.mimeType ?? 'audio/L16;codec=pcm;rate=24000' };
}
