import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { configSchema } from '../../src/config/schema.js';
import { pickTemplate } from '../../src/config/pick-template.js';
import { dirWith, noEnv, problems } from '../helpers/config-files.js';

const EN = 'HX' + 'e'.repeat(32);
const ES = 'HX' + '5'.repeat(32);

describe('defaults.language', () => {
  it('is en unless the file or ROLPLAY_DEFAULT_LANGUAGE says otherwise', () => {
    expect(loadConfig({ env: noEnv, cwd: dirWith({}) }).config.defaults.language).toBe('en');
    expect(loadConfig({ env: noEnv, cwd: dirWith({ defaults: { language: 'es' } }) }).config.defaults.language).toBe('es');
    expect(loadConfig({ env: { ...noEnv, ROLPLAY_DEFAULT_LANGUAGE: 'es' }, cwd: dirWith({}) }).config.defaults.language).toBe('es');
  });

  it('a language without a catalogue names the key and the choices', () => {
    expect(problems(() => loadConfig({ env: noEnv, cwd: dirWith({ defaults: { language: 'fr' } }) }))[0]).toMatch(/defaults\.language: expected one of en, es, found "fr"$/);
    expect(problems(() => loadConfig({ env: { ...noEnv, ROLPLAY_DEFAULT_LANGUAGE: 'ES-mx' }, cwd: dirWith({}) }))[0]).toMatch(/^ROLPLAY_DEFAULT_LANGUAGE \(defaults\.language\): expected one of en, es/);
  });
});

describe('twilio.templates.<kind> per language', () => {
  it('takes one Content SID or a map from language to Content SID', () => {
    const config = loadConfig({ env: noEnv, cwd: dirWith({ twilio: { templates: { welcome: EN, plan: { en: EN, es: ES } } } }) }).config;
    expect(config.twilio.templates.welcome).toBe(EN);
    expect(config.twilio.templates.plan).toEqual({ en: EN, es: ES });
  });

  it('refuses an unknown language key and a value of another type, naming the dotted key', () => {
    const unknown = problems(() => loadConfig({ env: noEnv, cwd: dirWith({ twilio: { templates: { reminder: { en: EN, fr: ES } } } }) }));
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatch(/twilio\.templates\.reminder\.fr: unknown language "fr": expected one of en, es/);
    expect(problems(() => loadConfig({ env: noEnv, cwd: dirWith({ twilio: { templates: { plan: 42 } } }) }))[0])
      .toMatch(/twilio\.templates\.plan: expected a Content SID \("HX\.\.\.", or "" for none\) or a map from language to Content SID/);
  });

  it('the sender picks the salesperson\'s language, then defaults.language, then any', () => {
    const config = configSchema.parse({ defaults: { language: 'es' }, twilio: { templates: { welcome: EN, plan: { en: EN, es: ES }, reminder: { en: EN }, digest: { es: '' } } } });
    expect(pickTemplate(config, 'welcome', 'es')).toBe(EN);
    expect(pickTemplate(config, 'plan', 'en')).toBe(EN);
    expect(pickTemplate(config, 'plan', 'es')).toBe(ES);
    expect(pickTemplate(config, 'plan', 'xx')).toBe(ES);
    expect(pickTemplate(config, 'reminder', 'es')).toBe(EN);
    expect(pickTemplate(config, 'digest', 'en')).toBe('');
  });
});
