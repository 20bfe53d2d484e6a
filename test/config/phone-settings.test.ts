import { describe, expect, it } from 'vitest';
import { DEFAULT_WHATSAPP_FROM } from '../../src/config/schema.js';
import { finishConfig, validateConfig } from '../../src/config/validate-config.js';
import { parsePhone, toWhatsAppAddress } from '../../src/domain/phone.js';
import { ConfigError } from '../../src/support/errors.js';

const noFile = { env: {}, cwd: '/nonexistent-rolplay-dir', configPath: undefined } as const;

describe('phone settings in the config', () => {
  it('the default sender is already what parsing it would give, so it is not parsed again', () => {
    const phone = parsePhone(DEFAULT_WHATSAPP_FROM, 'US');
    expect(phone.ok && toWhatsAppAddress(phone.e164)).toBe(DEFAULT_WHATSAPP_FROM);
    const validated = validateConfig({ ...noFile, env: { HOME: '/nonexistent-rolplay-dir' } });
    expect(validated.phoneKeys).toEqual([]);
    expect(finishConfig(validated).config.twilio.whatsappFrom).toBe(DEFAULT_WHATSAPP_FROM);
  });

  it('a number that is set is parsed with the parser given, and refused without one', () => {
    const env = { HOME: '/nonexistent-rolplay-dir', ADMIN_WHATSAPP_TO: '(415) 555-2671', TWILIO_WHATSAPP_FROM: '+34 612 34 56 78' };
    const validated = validateConfig({ ...noFile, env });
    expect(validated.phoneKeys).toEqual(['admin.whatsapp', 'twilio.whatsappFrom']);
    expect(() => finishConfig(validateConfig({ ...noFile, env }))).toThrow(/needs a phone parser for admin.whatsapp/);
    const { config } = finishConfig(validated, parsePhone);
    expect(config.admin.whatsapp).toBe('+14155552671');
    expect(config.twilio.whatsappFrom).toBe('whatsapp:+34612345678');
  });

  it('a bad number is still a config error naming its key', () => {
    const validated = validateConfig({ ...noFile, env: { HOME: '/nonexistent-rolplay-dir', ADMIN_WHATSAPP_TO: '12' } });
    expect(() => finishConfig(validated, parsePhone)).toThrow(ConfigError);
    expect(() => finishConfig(validateConfig({ ...noFile, env: { HOME: '/nonexistent-rolplay-dir', ADMIN_WHATSAPP_TO: '12' } }), parsePhone)).toThrow(/admin\.whatsapp/);
  });
});
