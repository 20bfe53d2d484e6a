import type { Plan } from './plan.js';

export interface PlanHeading {
  title: string;
  /** Already formatted in the salesperson's time zone, e.g. "Mon 5 Jan, 15:00". */
  when: string;
}

/**
 * The plan as a WhatsApp message: *bold* headings, numbered steps, bullet lists. Sections are
 * separated by blank lines, so a long plan splits between sections, never mid-sentence.
 */
export function formatPlan(plan: Plan, heading: PlanHeading): string {
  const sections = [
    `*Coaching plan: ${inline(heading.title)}*\n_${inline(heading.when)}_`,
    inline(plan.greeting),
    plan.summary.trim(),
    ['*Prepare*', ...plan.steps.map((s, i) => `${i + 1}. ${inline(s)}`)].join('\n'),
    ['*Likely objections*', ...plan.objections.map((o) => `• _${inline(o.objection)}_\n   → ${inline(o.answer)}`)].join('\n'),
    ['*Questions to ask*', ...plan.questions.map((q) => `• ${inline(q)}`)].join('\n'),
    `*Opening line*\n“${inline(plan.openingLine).replace(/^["“]|["”]$/g, '')}”`,
    'Reply *roleplay* to practise with me playing the client, or *help* for everything I can do.',
  ];
  return sections.filter((s) => s.trim() !== '').join('\n\n');
}

/** Model text on one line, without stray formatting markers that would break WhatsApp's bold/italics. */
function inline(text: string): string {
  return text.replace(/\s*\n+\s*/g, ' ').replace(/[*_~`]{2,}/g, '').trim();
}
