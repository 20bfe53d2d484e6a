import { describe, expect, it } from 'vitest';
import { CATALOGUES, LANGUAGES, isLanguage, languageNamed, messagesFor } from '../../../src/domain/messages/index.js';

/**
 * Every catalogue has exactly English's keys, at every depth, with the same kind of value (text,
 * function, list, section): a language added by copying en.ts and translating cannot miss a
 * message or carry a stale one, even where the compiler cannot see it (a catalogue read as JSON,
 * a key removed from en.ts but left in es.ts).
 */
function shape(value: unknown, path = ''): string[] {
  if (typeof value === 'function') return [`${path}: function`];
  if (Array.isArray(value)) return [`${path}: list`];
  if (value !== null && typeof value === 'object') {
    return Object.keys(value).sort().flatMap((key) => shape((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key));
  }
  return [`${path}: ${typeof value}`];
}

describe('message catalogues', () => {
  it('starts with en and es', () => {
    expect(LANGUAGES).toEqual(['en', 'es']);
  });

  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has exactly the keys of en, with the same kinds of values', (language) => {
    expect(shape(CATALOGUES[language])).toEqual(shape(CATALOGUES.en));
  });

  it('the shape check sees a missing key and an extra one', () => {
    const missing = { ...CATALOGUES.es, plan: { ...CATALOGUES.es.plan, footer: undefined } };
    expect(shape(missing)).not.toEqual(shape(CATALOGUES.en));
    const extra = { ...CATALOGUES.es, commands: { ...CATALOGUES.es.commands, stale: 'x' } };
    expect(shape(extra)).not.toEqual(shape(CATALOGUES.en));
  });

  it.each(LANGUAGES)('%s: every text is non-empty and every locale works with Intl', (language) => {
    const m = CATALOGUES[language];
    expect(Intl.DateTimeFormat.supportedLocalesOf([m.locale])).toEqual([m.locale]);
    const texts = shape(m).filter((line) => line.endsWith(': string')).map((line) => line.split(':')[0]!);
    for (const path of texts) {
      const value = path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], m);
      expect(String(value).trim(), path).not.toBe('');
    }
  });

  it('a name belongs to one language only, and each language answers to its own code', () => {
    const all = LANGUAGES.flatMap((l) => [...new Set(CATALOGUES[l].names.map((n) => n.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()))]);
    expect(new Set(all).size).toBe(all.length);
    for (const language of LANGUAGES) expect(languageNamed(language)).toBe(language);
  });

  it('names a language by code or name, any case or accents; unknown codes fall back to English', () => {
    expect(languageNamed('Español')).toBe('es');
    expect(languageNamed('ESPANOL')).toBe('es');
    expect(languageNamed('Inglés')).toBe('en');
    expect(languageNamed('english')).toBe('en');
    expect(languageNamed('fr')).toBeUndefined();
    expect(isLanguage('es')).toBe(true);
    expect(isLanguage('toString')).toBe(false);
    expect(messagesFor('fr')).toBe(CATALOGUES.en);
    expect(messagesFor(null)).toBe(CATALOGUES.en);
    expect(messagesFor('es')).toBe(CATALOGUES.es);
  });
});
