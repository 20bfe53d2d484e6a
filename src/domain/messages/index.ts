import type { Messages } from './catalogue.js';
import { en } from './en.js';
import { es } from './es.js';

export type { Messages, VoiceMessages } from './catalogue.js';

/** Every catalogue by language code; the first is the fallback. */
export const CATALOGUES = { en, es } as const satisfies Record<string, Messages>;
export type Language = keyof typeof CATALOGUES;
export const LANGUAGES = Object.keys(CATALOGUES) as Language[];

export function isLanguage(value: string): value is Language {
  return Object.hasOwn(CATALOGUES, value);
}

/** The catalogue for a stored language code; an unknown code falls back to English. */
export function messagesFor(language: string | null | undefined): Messages {
  return language && isLanguage(language) ? CATALOGUES[language] : CATALOGUES.en;
}
