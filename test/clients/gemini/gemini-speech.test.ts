import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGeminiSpeech } from '../../../src/clients/gemini/gemini-speech.js';
import { createGeminiConnection } from '../../../src/clients/gemini/gemini-connection.js';
import { createGeminiModel } from '../../../src/clients/gemini/gemini-model.js';
import { systemClock } from '../../../src/support/clock.js';
import { ModelBlockedError, ModelOutputError } from '../../../src/clients/gemini/language-model.js';
import { encodeVoiceNote } from '../../../src/domain/voice-note.js';
import { startGeminiSimulator, type GeminiSim } from '../../../src/sandbox/gemini-simulator.js';
import { ProviderError } from '../../../src/support/errors.js';
import { silentLogger } from '../../../src/support/logger.js';
import { configSchema } from '../../../src/config/schema.js';
import { walkMp3 } from '../../helpers/mp3-frames.js';

let sim: GeminiSim;
beforeEach(async () => {
  sim = await startGeminiSimulator();
});
afterEach(async () => sim.close());

const speech = (model = configSchema.parse({}).gemini.speechModel, voice = 'Puck') =>
  createGeminiSpeech({ apiKey: sim.apiKey, model, voice, baseUrl: sim.url, timeoutMs: 5000, concurrency: 2, logger: silentLogger() });

describe('Gemini speech over @google/genai', () => {
  it('asks the TTS model for AUDIO with the voice and language, and gets the WAV file a 3.8 model answers with', async () => {
    const spoken = await speech().speak({ text: 'Hola, ¿qué tal?', language: 'es' });
    const req = sim.requests.at(-1)!;
    expect(req.path).toBe('/v1beta/models/gemini-3.8-flash-lite-tts:generateContent');
    const body = JSON.parse(req.body);
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'Hola, ¿qué tal?' }] }]);
    expect(body.generationConfig.responseModalities).toEqual(['AUDIO']);
    expect(body.generationConfig.speechConfig).toEqual({ voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Puck' } }, languageCode: 'es' });
    // No temperature and no instructions: the 3.8 models refuse the one and would read the other aloud.
    expect(body.generationConfig.temperature).toBeUndefined();
    expect(body.systemInstruction).toBeUndefined();
    expect(spoken.mimeType).toBe('audio/wav');
    expect(Buffer.from(spoken.audio.subarray(0, 4)).toString('ascii')).toBe('RIFF');
    expect(walkMp3((await encodeVoiceNote(spoken.audio, spoken.mimeType)).bytes).sampleRate).toBe(24_000);
  });

  it('reads the raw L16 PCM of the 2.5 preview models', async () => {
    const spoken = await speech('gemini-2.5-flash-preview-tts').speak({ text: 'Fine, send me the numbers.' });
    expect(spoken.mimeType).toBe('audio/L16;codec=pcm;rate=24000');
    expect(spoken.audio.length % 2).toBe(0);
    expect(JSON.parse(sim.requests.at(-1)!.body).generationConfig.speechConfig.languageCode).toBeUndefined();
    const note = await encodeVoiceNote(spoken.audio, spoken.mimeType);
    expect(note.seconds).toBeGreaterThan(0.3);
  });

  it('turns a model that cannot speak, a server error and an answer without audio into errors the reply falls back from', async () => {
    const wrongModel = await speech('gemini-2.5-flash').speak({ text: 'hi' }).catch((e: unknown) => e);
    expect(wrongModel).toBeInstanceOf(ProviderError);
    expect((wrongModel as ProviderError).message).toMatch(/response modalities/);
    expect((wrongModel as ProviderError).retryable).toBe(false);
    sim.script({ error: 503 });
    expect(await speech().speak({ text: 'hi' }).catch((e: unknown) => e)).toMatchObject({ retryable: true, provider: 'gemini' });
    sim.script({ text: 'I am text, not audio' });
    await expect(speech().speak({ text: 'hi' })).rejects.toBeInstanceOf(ModelOutputError);
    sim.script({ blocked: 'SAFETY' });
    await expect(speech().speak({ text: 'hi' })).rejects.toBeInstanceOf(ModelBlockedError);
  });
});

describe('one gate for text and speech', () => {
  it('a speech call waits for a text call when gemini.concurrency is 1: both count against the same limit', async () => {
    const connection = createGeminiConnection({ apiKey: sim.apiKey, baseUrl: sim.url, timeoutMs: 5000, concurrency: 1 });
    const text = createGeminiModel({ apiKey: sim.apiKey, model: 'gemini-2.5-flash', baseUrl: sim.url, timeoutMs: 5000, concurrency: 1, connection, clock: systemClock, logger: silentLogger() });
    const voice = createGeminiSpeech({ apiKey: sim.apiKey, model: 'gemini-3.8-flash-lite-tts', voice: 'Kore', baseUrl: sim.url, timeoutMs: 5000, concurrency: 1, connection, logger: silentLogger() });
    // Every answer takes 200 ms: shared, the second call reaches Gemini only after the first answered.
    sim.sim.setLatency([200, 200]);
    const done: number[] = [];
    await Promise.all([
      text.generateText({ system: 'Answer briefly.', contents: [{ role: 'user', text: 'Hi' }] }).then(() => done.push(Date.now())),
      voice.speak({ text: 'Hello there.' }).then(() => done.push(Date.now())),
    ]);
    expect(Math.abs(done[1]! - done[0]!)).toBeGreaterThanOrEqual(150);
  });
});
