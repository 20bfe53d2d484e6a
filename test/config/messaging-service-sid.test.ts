import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/support/errors.js';

const cwd = () => mkdtempSync(join(tmpdir(), 'rolplay-empty-'));
const env = { HOME: '/nonexistent-home' };

describe('twilio.messagingServiceSid', () => {
  it('is empty by default and read from TWILIO_MESSAGING_SERVICE_SID', () => {
    expect(loadConfig({ env, cwd: cwd() }).config.twilio.messagingServiceSid).toBe('');
    const sid = `MG${'a1'.repeat(16)}`;
    const loaded = loadConfig({ env: { ...env, TWILIO_MESSAGING_SERVICE_SID: sid }, cwd: cwd() });
    expect(loaded.config.twilio.messagingServiceSid).toBe(sid);
    expect(loaded.sources['twilio.messagingServiceSid']).toBe('env:TWILIO_MESSAGING_SERVICE_SID');
  });

  it('refuses anything but MG and 32 hex characters, naming the key', () => {
    for (const bad of ['MG123', `AC${'0'.repeat(32)}`, `MG${'g'.repeat(32)}`]) {
      let error: unknown;
      try {
        loadConfig({ env: { ...env, TWILIO_MESSAGING_SERVICE_SID: bad }, cwd: cwd() });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/twilio\.messagingServiceSid.*"MG" followed by 32 hex characters/);
    }
  });
});
