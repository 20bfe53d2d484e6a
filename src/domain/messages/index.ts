import type { Messages } from './catalogue.js';
import { en } from './en.js';
import { es } from './es.js';
import { listOf } from './intl-text.js';
import { LANGUAGES, type Language } from './languages.js';

export type { CrmProblem, Messages, VoiceMessages } from './catalogue.js';
export { LANGUAGES, type Language };

/**
 * Every catalogue by language code (LANGUAGES, in languages.ts, lists the codes; the first is the
 * fallback). Adding a language is one catalogue file (a copy of en.ts, translated; the compiler
 * and test/domain/messages check its keys) plus its code there and one line here: the config
 * enum, `user add --language`, the WhatsApp command and per-language templates all follow.
 */
export const CATALOGUES = { en, es } as const satisfies Record<Language, Messages>;

export function isLanguage(value: string): value is Language {
  return Object.hasOwn(CATALOGUES, value);
}

/** The catalogue for a stored language code; an unknown code falls back to English. */
export function messagesFor(language: string | null | undefined): Messages {
  return language && isLanguage(language) ? CATALOGUES[language] : CATALOGUES.en;
}

/** The language a salesperson named ("es", "Español", "INGLÉS"), by any catalogue's names. */
export function languageNamed(name: string): Language | undefined {
  const wanted = foldName(name);
  return LANGUAGES.find((code) => CATALOGUES[code].names.some((n) => foldName(n) === wanted));
}

/** The other languages, for a salesperson reading `m`: "español (es)" / "English (en)". */
export function otherLanguages(m: Messages, except: Language | undefined): string {
  return listOf(m.locale, LANGUAGES.filter((code) => code !== except).map((code) => `${CATALOGUES[code].nativeName} (${code})`));
}

/** What the prompts add so the model answers in the salesperson's language. */
export function languageInstruction(language: string | null | undefined): string {
  const code = language && isLanguage(language) ? language : 'en';
  return `Write in ${CATALOGUES[code].englishName} (${code}).`;
}

function foldName(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase();
}
