import type { Plan } from './plan.js';
import { CATALOGUES, type Messages } from './messages/index.js';

export interface PlanHeading {
  title: string;
  /** Already formatted in the salesperson's time zone and language, e.g. "Mon, 5 Jan 2026, 15:00–16:00 (UTC)". */
  when: string;
}

/**
 * The plan as a WhatsApp message: *bold* headings, numbered steps, bullet lists. Sections are
 * separated by blank lines, so a long plan splits between sections, never mid-sentence.
 */
export function formatPlan(plan: Plan, heading: PlanHeading, m: Messages = CATALOGUES.en): string {
  const h = m.plan;
  const sections = [
    `*${h.heading({ title: inline(heading.title) })}*\n_${inline(heading.when)}_`,
    inline(plan.greeting),
    plan.summary.trim(),
    [`*${h.prepare}*`, ...plan.steps.map((s, i) => `${i + 1}. ${inline(s)}`)].join('\n'),
    [`*${h.objections}*`, ...plan.objections.map((o) => `• _${inline(o.objection)}_\n   → ${inline(o.answer)}`)].join('\n'),
    [`*${h.questions}*`, ...plan.questions.map((q) => `• ${inline(q)}`)].join('\n'),
    `*${h.openingLine}*\n“${inline(plan.openingLine).replace(/^["\u201C]|["\u201D]$/g, '')}”`,
    h.footer,
  ];
  return sections.filter((s) => s.trim() !== '').join('\n\n');
}

/** Model text on one line, without stray formatting markers that would break WhatsApp's bold/italics. */
function inline(text: string): string {
  return text.replace(/\s*\n+\s*/g, ' ').replace(/[*_~`]{2,}/g, '').trim();
}
