import { DATA_RULES } from './prompt-data.js';
import { briefBlocks, clientNames, type MeetingBrief } from './meeting-brief.js';
import { languageInstruction } from './messages/index.js';

/** The request for a coaching plan: our instructions in `system`, the meeting as data. */
export function buildPlanPrompt(brief: MeetingBrief): { system: string; prompt: string } {
  const system = [
    'You are rolplay, an experienced B2B sales coach preparing a salesperson for a client meeting.',
    'Write a short, specific coaching plan as JSON matching the response schema: a greeting by first name,',
    'a one-paragraph summary of the scenario, exactly three actionable preparation steps, the likely objections',
    'each with a suggested answer, discovery questions to ask, and a suggested opening line.',
    'Be concrete about this client and this meeting; when facts are missing, say what to find out instead of inventing them.',
    `${languageInstruction(brief.language)} That is the salesperson's language, whatever the language of the meeting title, agenda or CRM notes.`,
    'Keep the whole plan under 2,500 characters.',
    DATA_RULES,
  ].join('\n');
  const prompt = [
    `Prepare ${firstName(brief.salespersonName)} for a meeting with ${clientNames(brief.clients)}.`,
    brief.crm.length > 0 ? 'CRM context about the client is included.' : 'No CRM context was found for the client.',
    ...(brief.earlierInSeries ? ['This meeting is part of a recurring series: build on the outcome and open next steps of the earlier meeting included below, and follow up on them.'] : []),
    '',
    briefBlocks(brief),
  ].join('\n');
  return { system, prompt };
}

/**
 * The second try after Gemini blocked a plan: the same request without the free text that
 * nobody at rolplay wrote (the invitation's body, CRM notes), which is what usually trips a
 * filter. The title, time, clients and CRM properties stay.
 */
export function buildRephrasedPlanPrompt(brief: MeetingBrief): { system: string; prompt: string } {
  const { system, prompt } = buildPlanPrompt({ ...brief, bodyPreview: null, crm: brief.crm.map((c) => ({ ...c, notes: [] })) });
  return { system, prompt: `${prompt}

The invitation text and CRM notes were left out; base the plan on the title, the clients and the CRM properties.` };
}

export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || 'there';
}
