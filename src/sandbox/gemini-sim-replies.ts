import type { GeminiScriptItem, GeminiSimCall } from './gemini-simulator.js';
import { SPANISH_ARRAYS, SPANISH_STRINGS, asksForSpanish, spanishClientLine, spanishCoachText } from './gemini-sim-spanish.js';

/**
 * The simulator's unscripted answers: deterministic, plausible, and built from the prompt, so
 * `rolplay demo` reads like a coach without a Gemini key. Structured requests get JSON that
 * fits the requested schema (field names rolplay uses get sensible content, others a
 * placeholder of the right type); role-play requests get a client's line; the rest coaching.
 */
interface Facts {
  title: string;
  client: string;
  company: string;
  salesperson: string;
  agenda: string;
  lastMessage: string;
  transcript: string;
  userTurns: number;
  hard: boolean;
  /** The prompt asks for Spanish: the answers come from gemini-sim-spanish.ts. */
  spanish: boolean;
}

export const defaultReply = (call: GeminiSimCall): GeminiScriptItem => {
  if (call.schema) return { json: fillSchema(call) };
  const facts = factsOf(call);
  if (facts.spanish) return { text: call.system.startsWith('ROLE-PLAY') ? spanishClientLine(facts) : spanishCoachText(facts) };
  return { text: call.system.startsWith('ROLE-PLAY') ? clientLine(facts) : coachText(facts) };
};

export function fillSchema(call: GeminiSimCall): unknown {
  return fill(call.schema ?? { type: 'string' }, '', factsOf(call));
}

function fill(schema: Record<string, unknown>, name: string, facts: Facts): unknown {
  const type = String(schema.type ?? (schema.properties ? 'object' : 'string')).toLowerCase();
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return name === 'sentiment' && schema.enum.includes('positive') ? 'positive' : schema.enum[0];
  if (type === 'object') {
    const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    return Object.fromEntries(Object.entries(props).map(([key, sub]) => [key, fill(sub, key, facts)]));
  }
  if (type === 'array') {
    const known = (facts.spanish ? SPANISH_ARRAYS[name] : undefined)?.(facts) ?? ARRAYS[name]?.(facts);
    const min = Number(schema.minItems ?? 1);
    const max = Number(schema.maxItems ?? 10);
    const count = Math.min(Math.max(known?.length ?? 2, Number.isFinite(min) ? min : 1), Number.isFinite(max) ? max : 10);
    const item = (schema.items ?? { type: 'string' }) as Record<string, unknown>;
    return Array.from({ length: count }, (_, i) => (known ? known[i % known.length] : fill(item, singular(name), facts)));
  }
  if (type === 'integer' || type === 'number') {
    const value = NUMBERS[name]?.(facts) ?? Number(schema.minimum ?? 1);
    const lo = Number(schema.minimum ?? -Infinity);
    const hi = Number(schema.maximum ?? Infinity);
    return Math.min(Math.max(value, lo), hi);
  }
  if (type === 'boolean') return true;
  return (facts.spanish ? SPANISH_STRINGS[name] : undefined)?.(facts) ?? STRINGS[name]?.(facts) ?? `${name || 'answer'} for ${facts.title}`;
}

const STRINGS: Record<string, (f: Facts) => string> = {
  greeting: (f) => `Hi ${f.salesperson}! Here is your plan for “${f.title}”.`,
  summary: (f) => (f.transcript ? practiceSummary(f) : planSummary(f)),
  openingLine: (f) => `Thanks for making the time, ${firstName(f.client)}: before I share anything, what would make this meeting worth it for you?`,
  // The outcome prompt quotes the salesperson's reply between triple quotes: that is the result.
  result: (f) => (quoted(f.lastMessage) ?? f.lastMessage ?? f.transcript).slice(0, 300) || 'The meeting took place.',
};

function planSummary(f: Facts): string {
  const agenda = f.agenda ? ` The invitation says: ${f.agenda.slice(0, 160).replace(/[.!?\s]+$/, '')}.` : '';
  return `${f.client}${f.company ? ` from ${f.company}` : ''} is meeting you about “${f.title}”.${agenda} Use the time to understand what is driving their interest now, show value in their terms, and leave with a dated next step.`;
}

function practiceSummary(f: Facts): string {
  const turns = f.transcript.match(/^SALESPERSON:/gm)?.length ?? 0;
  return `You answered ${turns} client turn${turns === 1 ? '' : 's'} and kept the conversation moving. The next step at the end could be firmer.`;
}

const ARRAYS: Record<string, (f: Facts) => unknown[]> = {
  steps: (f) => [
    `Review ${f.company || f.client}'s recent news and your last interactions, and note two facts to mention.`,
    `Write down the one outcome you want from “${f.title}” and the next step you will propose.`,
    'Prepare a two-minute customer story with numbers that match their situation.',
  ],
  objections: (f) => [
    { objection: 'We already work with another vendor.', answer: `Ask what works well and what they would change; show where ${f.company || 'they'} would gain without a risky switch.` },
    { objection: 'It sounds expensive.', answer: 'Anchor on the cost of the problem first, then offer a small paid pilot with clear success criteria.' },
  ],
  questions: (f) => [
    `What made ${f.title.toLowerCase().includes('renewal') ? 'the renewal' : 'this topic'} a priority now?`,
    'Who else is involved in the decision, and how do you usually decide?',
    'What would success look like six months from now?',
  ],
  tips: (f) => (f.transcript.includes('?')
    ? ['Follow each answer with a “why does that matter?” to get to the business impact.', 'Close by proposing a specific date for the next step instead of asking if they are interested.']
    : ['Ask at least two open questions before presenting anything.', 'Acknowledge the objection in the client\'s words before answering it.']),
  nextSteps: () => [{ action: 'Send the follow-up summary and proposal', due: null }],
};

const NUMBERS: Record<string, (f: Facts) => number> = {
  score: (f) => scoreOf(f),
  discovery: (f) => Math.min(10, 3 + (f.transcript.match(/SALESPERSON:[^\n]*\?/g)?.length ?? 0) * 2),
  objectionHandling: (f) => Math.min(10, 4 + Math.min(4, f.userTurns)),
  nextStep: (f) => (/next (step|week)|demo|proposal|pilot|meeting|call/i.test(f.transcript) ? 7 : 4),
};

function scoreOf(f: Facts): number {
  const parts = ['discovery', 'objectionHandling', 'nextStep'].map((k) => NUMBERS[k]!(f));
  return Math.round(parts.reduce((a, b) => a + b, 0) / parts.length);
}

function clientLine(f: Facts): string {
  const company = f.company || 'our company';
  const normal = [
    `Thanks for making the time. To be honest, ${company} already works with another vendor, so why should we even look at this?`,
    'That sounds fine on paper, but what would it cost us, and how does that compare with what we pay today?',
    'Our team is stretched already. How long does implementation take, and who does the work on our side?',
    'I would have to run this past our finance lead. What exactly are you proposing as a next step?',
    'Okay. Send me a short proposal with numbers and I will look at it next week.',
  ];
  const hard = [
    `I have ten minutes. ${company} is happy with our current provider, so convince me this is not a waste of time.`,
    'Your competitor quoted us 30% less last month. Why would we pay more?',
    'We tried something like this two years ago and it failed. What is different now?',
    'I am not signing anything this quarter. What could you possibly offer that changes that?',
    'Fine, one short call with my finance lead. If the numbers do not work, we stop there.',
  ];
  const lines = f.hard ? hard : normal;
  return lines[Math.min(f.userTurns - 1, lines.length - 1)] ?? lines[0]!;
}

function coachText(f: Facts): string {
  const topic = f.title ? ` for “${f.title}”` : '';
  const variants = [
    `Good question. My suggestion${topic}: open by asking ${firstName(f.client)} what prompted the meeting, listen for the business impact, and only then connect it to your offer. Close with a concrete next step and a date.`,
    `Keep it simple${topic}: one clear goal, two strong questions, and a next step you can propose. If price comes up, ask what they are comparing against before answering.`,
    `Think about it from ${firstName(f.client)}'s side${topic}: what risk do they take by saying yes? Name that risk yourself and offer a small first step that removes it.`,
  ];
  return variants[hash(f.lastMessage) % variants.length]!;
}

function factsOf(call: GeminiSimCall): Facts {
  const all = [call.system, ...call.contents.map((c) => c.text)].join('\n');
  const block = (name: string) => new RegExp(`<data name="${name}">\\n([\\s\\S]*?)\\n</data>`).exec(all)?.[1]?.trim() ?? '';
  const clientLine1 = block('clients').split('\n')[0] ?? '';
  const clientName = clientLine1.replace(/\s*<[^>]*>.*$/, '').replace(/\s+from\s+.*$/, '').trim();
  const company = / from (.+)$/.exec(clientLine1)?.[1]?.trim() ?? '';
  const salesperson = /Prepare (\S+) for a meeting/.exec(all)?.[1] ?? 'there';
  const userTexts = call.contents.filter((c) => c.role === 'user').map((c) => /<data name="salesperson_message">\n([\s\S]*?)\n<\/data>/.exec(c.text)?.[1] ?? c.text);
  const transcript = block('roleplay_transcript');
  return {
    title: block('meeting_title') || 'your meeting',
    client: clientName || 'your client',
    company,
    salesperson,
    agenda: block('meeting_agenda').replace(/\s+/g, ' ').replace(/^\(none\)$/, ''),
    lastMessage: userTexts[userTexts.length - 1] ?? '',
    transcript,
    userTurns: userTexts.length,
    hard: /sceptical/i.test(call.system),
    spanish: asksForSpanish(call),
  };
}

function firstName(name: string): string {
  return name.split(/\s+/)[0] || name;
}

function singular(name: string): string {
  return name.replace(/s$/, '');
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0;
  return h;
}

function quoted(text: string): string | undefined {
  const m = /"""\n?([\s\S]*?)\n?"""/.exec(text);
  return m?.[1]?.trim() || undefined;
}
