import { describe, expect, it } from 'vitest';
import { transcribeAudio } from '../../../src/clients/gemini/transcribe-audio.js';
import { ModelBlockedError } from '../../../src/clients/gemini/language-model.js';
import { ProviderError } from '../../../src/support/errors.js';
import { oggOpusFile } from '../../../src/sandbox/ogg-opus-file.js';
import { geminiModelWorld } from '../../helpers/gemini-model-world.js';

const world = geminiModelWorld();
const hints = ['Sam Seller', 'Quarterly review', 'Ann Lee', 'Acme'];

describe('transcribeAudio (@google/genai against the Gemini simulator)', () => {
  it('sends the audio as an inline data part (base64, its mime type) before a text part with the names as data, and reads {transcript, understood}', async () => {
    const bytes = oggOpusFile({ seconds: 2, transcript: 'Ann wants  a pilot in March' });
    const heard = await transcribeAudio(world.model(), { audio: { mimeType: 'audio/ogg', bytes }, hints, language: 'es' });
    expect(heard).toEqual({ text: 'Ann wants a pilot in March', understood: true });
    const body = JSON.parse(world.sim.requests.at(-1)!.body) as { contents: Array<{ parts: Array<{ inlineData?: { mimeType: string; data: string }; text?: string }> }>; systemInstruction: { parts: Array<{ text: string }> }; generationConfig: { responseMimeType: string; temperature: number } };
    const [audio, text] = body.contents[0]!.parts;
    expect(audio!.inlineData!.mimeType).toBe('audio/ogg');
    expect(Buffer.compare(Buffer.from(audio!.inlineData!.data, 'base64'), bytes)).toBe(0);
    expect(text!.text).toBe('Transcribe this voice note.\n<data name="names">\nSam Seller\nQuarterly review\nAnn Lee\nAcme\n</data>');
    expect(body.systemInstruction.parts[0]!.text).toMatch(/do not translate/);
    expect(body.systemInstruction.parts[0]!.text).toMatch(/usually speaks Spanish/);
    expect(body.generationConfig).toMatchObject({ responseMimeType: 'application/json', temperature: 0 });
  });

  it('silence is not understood; an understood answer with no words is not either', async () => {
    const silent = oggOpusFile({ seconds: 2 });
    expect(await transcribeAudio(world.model(), { audio: { mimeType: 'audio/ogg', bytes: silent }, hints })).toEqual({ text: '', understood: false });
    world.sim.scriptAudio({ json: { transcript: '   ', understood: true } });
    expect(await transcribeAudio(world.model(), { audio: { mimeType: 'audio/ogg', bytes: silent }, hints })).toEqual({ text: '', understood: false });
  });

  it('passes Gemini\'s failures on: overloaded is retryable, a blocked prompt is final, an unsupported type is refused', async () => {
    const audio = { mimeType: 'audio/ogg', bytes: oggOpusFile({ transcript: 'hi' }) };
    world.sim.scriptAudio({ error: 503 });
    const overloaded = await transcribeAudio(world.model({ maxRetries: 0 }), { audio, hints }).catch((e: unknown) => e);
    expect(overloaded).toBeInstanceOf(ProviderError);
    expect((overloaded as ProviderError).retryable).toBe(true);
    world.sim.scriptAudio({ blocked: 'PROHIBITED_CONTENT' });
    expect(await transcribeAudio(world.model(), { audio, hints }).catch((e: unknown) => e)).toBeInstanceOf(ModelBlockedError);
    const refused = await transcribeAudio(world.model(), { audio: { mimeType: 'audio/x-amr', bytes: audio.bytes }, hints }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 400, retryable: false });
    // Text requests never take the audio script.
    world.sim.scriptAudio({ error: 500 });
    expect(await world.model().generateText({ system: 's', contents: [{ role: 'user', text: 'hello' }] })).not.toBe('');
    expect(world.sim.pending()).toBe(1);
  });
});
