/**
 * What an inbound WhatsApp message asks for. A command is the whole message (case-insensitive,
 * English or Spanish, accents and trailing punctuation ignored), so "stop" ends a role-play but
 * "they asked us to stop the pilot" is just conversation.
 */
export type Difficulty = 'easy' | 'normal' | 'hard';

export type Intent =
  | { kind: 'help' }
  | { kind: 'plan' }
  | { kind: 'meetings' }
  | { kind: 'switch'; index: number }
  | { kind: 'roleplay'; difficulty: Difficulty }
  | { kind: 'stop' }
  | { kind: 'digest'; on: boolean }
  /** "language es", "idioma inglés": `name` as written (accents folded, lower case); null for "language" alone. */
  | { kind: 'language'; name: string | null }
  | { kind: 'text'; text: string };

const HELP = new Set(['help', 'ayuda', 'menu', '?', 'h', 'commands', 'comandos', 'info']);
const PLAN = new Set(['plan', 'el plan', 'my plan', 'mi plan', 'resend plan', 'reenviar plan']);
const MEETINGS = new Set(['meetings', 'meeting', 'reuniones', 'reunion', 'list', 'lista', 'my meetings', 'mis reuniones']);
const STOP = new Set(['stop', 'parar', 'para', 'terminar', 'termina', 'fin', 'end', 'quit', 'salir', 'basta', 'done roleplay']);
const ROLEPLAY = /^(?:roleplay|role[\s-]play|practice|practise|practicar|practica|simular|simulacion)(?:\s+(.+))?$/;
const DIGEST = /^(?:(?:weekly\s+)?digests?|resumen(?:\s+semanal)?)\s+(on|off)$/;
/** One word after the command: "language es", "idioma español"; longer text is conversation. */
const LANGUAGE = /^(?:language|idioma|lang)(?:\s+([\p{L}-]{2,20}))?$/u;
const SWITCH = /^(?:switch|cambiar|cambia|select|seleccionar|use|usar)(?:\s+(?:to|a|al))?\s+#?(\d{1,3})$/;
const DIFFICULTY: Record<string, Difficulty> = {
  easy: 'easy', facil: 'easy', sencillo: 'easy',
  normal: 'normal', medium: 'normal', medio: 'normal',
  hard: 'hard', dificil: 'hard', tough: 'hard', duro: 'hard',
};

export function parseIntent(text: string): Intent {
  const normalized = normalize(text);
  if (HELP.has(normalized)) return { kind: 'help' };
  if (PLAN.has(normalized)) return { kind: 'plan' };
  if (MEETINGS.has(normalized)) return { kind: 'meetings' };
  if (STOP.has(normalized)) return { kind: 'stop' };
  const digest = DIGEST.exec(normalized);
  if (digest) return { kind: 'digest', on: digest[1] === 'on' };
  const language = LANGUAGE.exec(normalized);
  if (language) return { kind: 'language', name: language[1] ?? null };
  const sw = SWITCH.exec(normalized);
  if (sw) return { kind: 'switch', index: Number(sw[1]) };
  const rp = ROLEPLAY.exec(normalized);
  if (rp) {
    const level = rp[1] === undefined ? 'normal' : DIFFICULTY[rp[1].replace(/^(?:mode|modo|nivel|level)\s+/, '')];
    if (level) return { kind: 'roleplay', difficulty: level };
  }
  return { kind: 'text', text: text.trim() };
}

/** Lower case, no accents, no leading slash, no trailing punctuation or emoji, single spaces. */
function normalize(text: string): string {
  return text
    .normalize('NFD').replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/^[\s/!#]+/, '')
    // Trailing punctuation (¡ ¿ too) and emoji.
    .replace(/[\s.!?\u00A1\u00BF,;:)\p{Extended_Pictographic}]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim() || text.trim();
}
