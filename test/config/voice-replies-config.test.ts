import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { configSchema } from '../../src/config/schema.js';
import { ConfigError } from '../../src/support/errors.js';
import { buildApp } from '../../src/daemon/build-app.js';
import { createWebhookComponent } from '../../src/daemon/webhook-component.js';
import { wantsVoice } from '../../src/lifecycle/whatsapp/voice-reply.js';
import type { Services } from '../../src/lifecycle/services.js';
import { captureLogger } from '../helpers/log-capture.js';
import { freshStore } from '../helpers/stores.js';

const cwd = () => mkdtempSync(join(tmpdir(), 'rolplay-empty-'));
const env = { HOME: '/nonexistent-home' };

function loadError(vars: Record<string, string>): string {
  try {
    loadConfig({ env: { ...env, ...vars }, cwd: cwd() });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a config error');
}

describe('conversation.voiceReplies, gemini.speechModel and gemini.speechVoice', () => {
  it('default to off, a GA TTS model and Kore, and are read from ROLPLAY_VOICE_REPLIES, GEMINI_SPEECH_MODEL and GEMINI_SPEECH_VOICE', () => {
    const defaults = loadConfig({ env, cwd: cwd() }).config;
    expect(defaults.conversation.voiceReplies).toBe('off');
    expect(defaults.gemini).toMatchObject({ speechModel: 'gemini-3.8-flash-lite-tts', speechVoice: 'Kore' });
    const loaded = loadConfig({ env: { ...env, ROLPLAY_VOICE_REPLIES: 'roleplay', GEMINI_SPEECH_MODEL: 'gemini-3.8-flash-tts', GEMINI_SPEECH_VOICE: 'Puck' }, cwd: cwd() });
    expect(loaded.config.conversation.voiceReplies).toBe('roleplay');
    expect(loaded.config.gemini).toMatchObject({ speechModel: 'gemini-3.8-flash-tts', speechVoice: 'Puck' });
    expect(loaded.sources['conversation.voiceReplies']).toBe('env:ROLPLAY_VOICE_REPLIES');
  });

  it('refuses an unknown mode or voice name, naming the variable and the key', () => {
    expect(loadError({ ROLPLAY_VOICE_REPLIES: 'sometimes' })).toMatch(/ROLPLAY_VOICE_REPLIES \(conversation\.voiceReplies\): expected off, roleplay or always/);
    expect(loadError({ GEMINI_SPEECH_VOICE: 'Kore; DROP' })).toMatch(/GEMINI_SPEECH_VOICE \(gemini\.speechVoice\): expected the name of a prebuilt Gemini voice/);
  });

  it('speaks only a spoken turn, in the modes that cover its kind, with speech configured and a public URL', () => {
    const services = (voiceReplies: string, publicUrl = 'https://coach.example.com', speech = true) => ({
      config: configSchema.parse({ server: { publicUrl }, conversation: { voiceReplies } }),
      speech: speech ? { speak: async () => ({ audio: new Uint8Array(), mimeType: 'audio/wav' }) } : undefined,
    }) as unknown as Services;
    expect(wantsVoice({ services: services('roleplay'), voice: true }, 'roleplay')).toBe(true);
    expect(wantsVoice({ services: services('roleplay'), voice: false }, 'roleplay')).toBe(false);
    expect(wantsVoice({ services: services('roleplay'), voice: true }, 'coach')).toBe(false);
    expect(wantsVoice({ services: services('always'), voice: true }, 'coach')).toBe(true);
    expect(wantsVoice({ services: services('off'), voice: true }, 'roleplay')).toBe(false);
    expect(wantsVoice({ services: services('always', ''), voice: true }, 'roleplay')).toBe(false);
    expect(wantsVoice({ services: services('always', 'https://coach.example.com', false), voice: true }, 'roleplay')).toBe(false);
  });

  it('warns at start when voice replies are on but Twilio could not fetch them (no server.publicUrl)', async () => {
    const t = await freshStore();
    const log = captureLogger('info');
    const config = configSchema.parse({ server: { host: '127.0.0.1', port: 0 }, conversation: { voiceReplies: 'roleplay' }, gemini: { apiKey: 'AIza-test' } });
    const app = await buildApp({ config, logger: log.logger, store: t.store });
    const http = createWebhookComponent(app);
    await http.start();
    await http.stop();
    await app.close();
    await t.dispose();
    expect(log.records().map((r) => r.msg)).toContain('conversation.voiceReplies is "roleplay" but server.publicUrl is not set: Twilio fetches voice notes by URL, so replies go as text only until it is');
  });
});
