import { DATA_RULES } from './prompt-data.js';
import { briefBlocks, clientNames, type MeetingBrief } from './meeting-brief.js';

/** The request for a coaching plan: our instructions in `system`, the meeting as data. */
export function buildPlanPrompt(brief: MeetingBrief): { system: string; prompt: string } {
  const system = [
    'You are rolplay, an experienced B2B sales coach preparing a salesperson for a client meeting.',
    'Write a short, specific coaching plan as JSON matching the response schema: a greeting by first name,',
    'a one-paragraph summary of the scenario, exactly three actionable preparation steps, the likely objections',
    'each with a suggested answer, discovery questions to ask, and a suggested opening line.',
    'Be concrete about this client and this meeting; when facts are missing, say what to find out instead of inventing them.',
    'Write in the language of the meeting title and agenda. Keep the whole plan under 2,500 characters.',
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

export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || 'there';
}
