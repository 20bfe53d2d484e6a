import * as z from 'zod';

/**
 * The coaching plan as the model must return it and as meetings.plan_json stores it. The
 * schema is the gate: output that misses a field or has the wrong number of steps is never
 * sent to a salesperson.
 */
const line = (max: number) => z.string().trim().min(1).max(max);

export const planSchema = z.object({
  greeting: line(300),
  summary: line(1500),
  steps: z.array(line(500)).length(3),
  objections: z.array(z.object({ objection: line(400), answer: line(800) })).min(1).max(5),
  questions: z.array(line(400)).min(1).max(6),
  openingLine: line(500),
});

export type Plan = z.infer<typeof planSchema>;

/** Validates model output (or a stored plan); throws a readable error naming the bad fields. */
export function parsePlan(value: unknown): Plan {
  const result = planSchema.safeParse(value);
  if (result.success) return result.data;
  throw new Error(result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
}

/** The stored plan of a meeting, or undefined when there is none or it no longer validates. */
export function readPlan(json: string | null): Plan | undefined {
  if (!json) return undefined;
  try {
    return planSchema.parse(JSON.parse(json));
  } catch {
    return undefined;
  }
}

const text = (description: string) => ({ type: 'string', description });

/** The response schema sent with the request (JSON schema; the Gemini client translates it). */
export const PLAN_RESPONSE_SCHEMA = {
  type: 'object',
  properties: {
    greeting: text('One short friendly line to the salesperson, by first name.'),
    summary: text('One paragraph: who the client is, what the meeting is about, what matters most.'),
    steps: { type: 'array', description: 'Exactly three concrete preparation steps.', items: text('An actionable step.'), minItems: 3, maxItems: 3 },
    objections: {
      type: 'array',
      description: 'Likely objections from the client, each with a suggested answer.',
      items: {
        type: 'object',
        properties: { objection: text('What the client may say.'), answer: text('How to answer it.') },
        required: ['objection', 'answer'],
      },
      minItems: 1,
      maxItems: 4,
    },
    questions: { type: 'array', description: 'Discovery questions to ask.', items: text('A question.'), minItems: 2, maxItems: 5 },
    openingLine: text('A suggested first sentence for the meeting.'),
  },
  required: ['greeting', 'summary', 'steps', 'objections', 'questions', 'openingLine'],
  propertyOrdering: ['greeting', 'summary', 'steps', 'objections', 'questions', 'openingLine'],
};
