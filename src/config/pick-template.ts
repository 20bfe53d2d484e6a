import type { Config, TemplateSetting } from './schema.js';

export type TemplateKind = keyof Config['twilio']['templates'];

/**
 * The Content SID of twilio.templates.<kind> for a salesperson: the one setting as is, or from
 * a per-language map their language's, else defaults.language's, else any (a template in
 * another language still opens the conversation; the full text follows in theirs). "" = none.
 */
export function pickTemplate(config: Pick<Config, 'twilio' | 'defaults'>, kind: TemplateKind, language: string | null | undefined): string {
  return templateFor(config.twilio.templates[kind], language, config.defaults.language);
}

export function templateFor(setting: TemplateSetting, language: string | null | undefined, fallback: string): string {
  if (typeof setting === 'string') return setting;
  return (language ? setting[language] : undefined) || setting[fallback] || Object.values(setting).find((sid) => sid !== '') || '';
}
