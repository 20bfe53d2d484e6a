/**
 * The language codes rolplay speaks, the first the fallback: each has a catalogue in CATALOGUES
 * (index.ts; the compiler checks both lists agree). Apart from the catalogues so that the config
 * schema and the command line name them without loading every message text.
 */
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
