import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/support/errors.js';
import { dirWith, noEnv } from '../helpers/config-files.js';

describe('conversation.maxVoiceSeconds', () => {
  it('defaults to 180 and is set in the file or by ROLPLAY_MAX_VOICE_SECONDS', () => {
    expect(loadConfig({ env: noEnv, cwd: dirWith({}) }).config.conversation.maxVoiceSeconds).toBe(180);
    expect(loadConfig({ env: noEnv, cwd: dirWith({ conversation: { maxVoiceSeconds: 60 } }) }).config.conversation.maxVoiceSeconds).toBe(60);
    expect(loadConfig({ env: { ...noEnv, ROLPLAY_MAX_VOICE_SECONDS: '300' }, cwd: dirWith({}) }).config.conversation.maxVoiceSeconds).toBe(300);
  });

  it('refuses a value out of range, naming the key', () => {
    let problems: string[] = [];
    try {
      loadConfig({ env: noEnv, cwd: dirWith({ conversation: { maxVoiceSeconds: 3600 } }) });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/conversation\.maxVoiceSeconds/);
  });
});
