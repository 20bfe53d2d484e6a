import type { SimReply } from './http-sim.js';
import type { GeminiSimCall } from './gemini-simulator.js';

/**
 * Speech generation in the Gemini simulator: a TTS model asked for `responseModalities:
 * ["AUDIO"]` answers with real audio bytes (a short tone, longer for longer text) as inline
 * data, in the format the real model uses:
 * - 2.5 and 3.1 TTS models: raw 16-bit mono PCM at 24 kHz, `audio/L16;codec=pcm;rate=24000`
 *   (ai.google.dev speech-generation guide, whose sample writes it into a WAV at 24,000 Hz,
 *   16-bit; the mime type as @google/genai users and ferrin-google's parse_sample_rate see it);
 * - 3.8 TTS models: a whole WAV file, same samples (Gemini TTS migration guide, "Default
 *   output": unary requests get a complete WAV file), labelled audio/wav.
 * A TTS model asked for text, or any other model asked for audio, gets Google's 400
 * (BerriAI/litellm#11118, danielmiessler/Fabric#1607 quote "The requested combination of
 * response modalities (TEXT) is not supported by the model. models/gemini-2.5-flash-preview-tts
 * accepts the following combination of response modalities:\n* AUDIO"; the reverse case is
 * assumed to read the same way). 3.8 models refuse temperature/topP/topK with
 * INVALID_ARGUMENT (migration guide). Audio counts 32 tokens a second (Gemini's audio token rate).
 */
export const TTS_MODELS = ['gemini-3.8-flash-tts', 'gemini-3.8-flash-lite-tts', 'gemini-3.1-flash-tts-preview', 'gemini-2.5-flash-preview-tts', 'gemini-2.5-pro-preview-tts'];

const RATE = 24_000;

export function isSpeechModel(model: string): boolean {
  return TTS_MODELS.includes(model);
}

export function wantsAudio(call: GeminiSimCall): boolean {
  const modalities = call.generationConfig.responseModalities;
  return Array.isArray(modalities) && modalities.some((m) => String(m).toUpperCase() === 'AUDIO');
}

/** The 400 for a request this model cannot answer in the modality asked, or undefined when it can. */
export function modalityProblem(call: GeminiSimCall): string | undefined {
  const tts = isSpeechModel(call.model);
  if (tts === wantsAudio(call)) {
    if (tts && call.model.startsWith('gemini-3.8-') && ['temperature', 'topP', 'topK'].some((k) => k in call.generationConfig)) {
      return `temperature, topP and topK are not supported by models/${call.model}.`;
    }
    return undefined;
  }
  const asked = wantsAudio(call) ? 'AUDIO' : 'TEXT';
  return `The requested combination of response modalities (${asked}) is not supported by the model. models/${call.model} accepts the following combination of response modalities:\n* ${tts ? 'AUDIO' : 'TEXT'}\n`;
}

/** The audio answer to a speech call: a 440 Hz tone of about 60 ms per character, 0.3 to 3 s. */
export function speechReply(call: GeminiSimCall): SimReply {
  const text = call.contents.map((c) => c.text).join(' ');
  const seconds = Math.min(3, Math.max(0.3, text.length * 0.06));
  const pcm = tone(Math.round(seconds * RATE));
  const wav = call.model.startsWith('gemini-3.8-');
  const bytes = wav ? wavFile(pcm) : pcm;
  const promptTokens = Math.max(1, Math.ceil(text.length / 4));
  const audioTokens = Math.ceil(seconds * 32);
  return {
    status: 200,
    body: {
      candidates: [{
        content: { role: 'model', parts: [{ inlineData: { mimeType: wav ? 'audio/wav' : `audio/L16;codec=pcm;rate=${RATE}`, data: Buffer.from(bytes).toString('base64') } }] },
        finishReason: 'STOP',
        index: 0,
      }],
      usageMetadata: {
        promptTokenCount: promptTokens,
        candidatesTokenCount: audioTokens,
        totalTokenCount: promptTokens + audioTokens,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptTokens }],
        candidatesTokensDetails: [{ modality: 'AUDIO', tokenCount: audioTokens }],
      },
      modelVersion: call.model,
      responseId: `sim-${Date.now().toString(36)}`,
    },
  };
}

/** 16-bit little-endian mono samples of a soft 440 Hz tone. */
function tone(samples: number): Uint8Array {
  const out = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) out.writeInt16LE(Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / RATE)), i * 2);
  return out;
}

/** A canonical 44-byte RIFF/WAVE header (PCM, mono, 16-bit) before the samples. */
function wavFile(pcm: Uint8Array): Uint8Array {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}
