import * as z from 'zod';

/**
 * A meeting outcome as rolplay stores it (meetings.outcome_json) and logs it to the CRM. The
 * model fills it from the salesperson's reply; without a model the reply itself is the result.
 */
export const nextStepSchema = z.object({
  action: z.string().trim().min(1).max(500),
  /** YYYY-MM-DD when the reply gave (or implied) a date, else null. */
  due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().catch(null),
});

export const structuredOutcomeSchema = z.object({
  result: z.string().trim().min(1).max(2000),
  nextSteps: z.array(nextStepSchema).max(10).catch([]),
  sentiment: z.enum(['positive', 'neutral', 'negative', 'unknown']).catch('unknown'),
});

export type NextStep = z.infer<typeof nextStepSchema>;
export type StructuredOutcome = z.infer<typeof structuredOutcomeSchema>;

export interface Outcome extends StructuredOutcome {
  /** model: structured by Gemini; raw: the reply as given (model unavailable); done: a bare "Done". */
  source: 'model' | 'raw' | 'done';
  /** The salesperson's words. */
  reply: string;
  /** The words came as a voice note: `reply` is its transcript. */
  voice?: boolean;
}

/** The JSON schema handed to the model (lower-case JSON schema; the model client translates). */
export const OUTCOME_RESPONSE_SCHEMA = {
  type: 'object',
  properties: {
    result: { type: 'string', description: 'What happened in the meeting, one or two sentences, in the salesperson\'s language.' },
    nextSteps: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          action: { type: 'string', description: 'One concrete next step.' },
          due: { type: 'string', nullable: true, description: 'YYYY-MM-DD if the reply gives a date or month (a month alone: its first day), else null.' },
        },
        required: ['action', 'due'],
      },
    },
    sentiment: { type: 'string', enum: ['positive', 'neutral', 'negative', 'unknown'] },
  },
  required: ['result', 'nextSteps', 'sentiment'],
};

const DONE_WORDS = /^(done|ok|okay|finished|completed?|hecho|listo|terminado|fatto|fini|feito|erledigt)$/i;

/** "Done", "done.", "Done!" and friends: nothing to structure, log a completion note. */
export function isBareDone(text: string): boolean {
  const trimmed = text.trim();
  // A lone thumbs-up or check mark (✅ 👍 ✔️) is WhatsApp for "done". Characters outside ASCII
  // are escaped in regular expressions: the built CLI is an ASCII file (scripts/bundle.js).
  if (trimmed !== '' && /^(?:\u2705|\u{1F44D}|\u2714\uFE0F?|\s)+$/u.test(trimmed)) return true;
  return DONE_WORDS.test(trimmed.replace(/[\s.!\u2705\u{1F44D}]+$/u, '').trim());
}

/** "Done - they want a pilot in March" -> "they want a pilot in March"; other text unchanged. */
export function withoutDonePrefix(text: string): string {
  // Punctuation after it, dashes (– —) included.
  const m = /^\s*done\b[\s.,:;!\u2013\u2014-]*/i.exec(text);
  const rest = m ? text.slice(m[0].length).trim() : text.trim();
  return rest === '' ? text.trim() : rest;
}

/** Starts with "done" (bare or with details): used to recognise a "Done" for a finished meeting. */
export function startsWithDone(text: string): boolean {
  return /^\s*done\b/i.test(text) || isBareDone(text);
}

export function doneOutcome(reply: string): Outcome {
  return { result: 'Meeting completed; no details given.', nextSteps: [], sentiment: 'unknown', source: 'done', reply };
}

export function rawOutcome(reply: string): Outcome {
  return { result: withoutDonePrefix(reply).slice(0, 2000), nextSteps: [], sentiment: 'unknown', source: 'raw', reply };
}

/** Validates what the model produced; undefined when it does not fit (the caller falls back). */
export function parseModelOutcome(value: unknown, reply: string): Outcome | undefined {
  const parsed = structuredOutcomeSchema.safeParse(value);
  if (!parsed.success) return undefined;
  return { ...parsed.data, nextSteps: parsed.data.nextSteps.filter((s) => s.due === null || isRealDate(s.due)), source: 'model', reply };
}

/** Reads a stored outcome defensively (older rows, hand edits). */
export function readOutcome(json: string | null, fallbackReply: string | null): Outcome | undefined {
  if (json) {
    try {
      const value = JSON.parse(json) as Partial<Outcome>;
      const parsed = structuredOutcomeSchema.safeParse(value);
      if (parsed.success) {
        const source = value.source === 'model' || value.source === 'done' ? value.source : 'raw';
        return { ...parsed.data, source, reply: typeof value.reply === 'string' ? value.reply : fallbackReply ?? '', ...(value.voice === true ? { voice: true } : {}) };
      }
    } catch {
      // fall through to the raw reply
    }
  }
  if (fallbackReply === null) return undefined;
  return isBareDone(fallbackReply) ? doneOutcome(fallbackReply) : rawOutcome(fallbackReply);
}

function isRealDate(ymd: string): boolean {
  const ms = Date.parse(`${ymd}T12:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === ymd;
}
