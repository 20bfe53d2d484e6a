import { dataBlock } from './prompt-data.js';
import { safeZone } from './safe-zone.js';

/**
 * Everything about one meeting that may reach a prompt, gathered by lifecycle from the store
 * and the CRM. Only the asking salesperson's own meeting and its clients ever end up here.
 */
export interface CrmClientContext {
  email: string;
  properties: Record<string, string>;
  company?: { name: string; domain?: string; industry?: string };
  notes: Array<{ body: string; timestamp: number | null }>;
}

export interface BriefClient {
  name: string | null;
  email: string | null;
  company: string | null;
}

/** What was learned in an earlier meeting of the same recurring series (its outcome, as recorded). */
export interface EarlierOccurrence {
  startAt: number;
  endAt: number;
  result: string;
  nextSteps: Array<{ action: string; due: string | null }>;
  sentiment: 'positive' | 'neutral' | 'negative' | 'unknown';
  /** Whether the outcome reached HubSpot as a note. */
  noteLogged: boolean;
}

export interface MeetingBrief {
  title: string;
  bodyPreview: string | null;
  location: string | null;
  startAt: number;
  endAt: number;
  timeZone: string;
  salespersonName: string;
  /** The salesperson's language (users.language): what the model writes for them in. English when absent. */
  language?: string;
  clients: BriefClient[];
  crm: CrmClientContext[];
  /** For a meeting of a recurring series: the latest earlier one with an outcome, if any. */
  earlierInSeries?: EarlierOccurrence;
}

/** CRM properties worth showing the model; the rest is noise (ids, timestamps, flags). */
const USEFUL_PROPERTIES = ['firstname', 'lastname', 'jobtitle', 'company', 'industry', 'lifecyclestage', 'hs_lead_status', 'city', 'country', 'annualrevenue', 'numberofemployees', 'website', 'notes_last_contacted', 'hs_persona'];

/** "Mon 5 Jan 2026, 15:00–16:00 (Europe/Madrid)". */
export function formatMeetingTime(startAt: number, endAt: number, timeZone: string): string {
  const zone = safeZone(timeZone);
  const parts = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: zone }).formatToParts(new Date(startAt));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
  const time = (ms: number) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }).format(new Date(ms));
  return `${day}, ${time(startAt)}–${time(endAt)} (${zone})`;
}

/** "Ann Lee (Acme)", "Ann Lee and Bob Roe", "your client". */
export function clientNames(clients: BriefClient[], none = 'your client'): string {
  const names = [...new Set(clients.map((c) => c.name?.trim() || c.email?.trim() || '').filter((n) => n !== ''))];
  if (names.length === 0) return none;
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The meeting as delimited data blocks for a prompt. */
export function briefBlocks(brief: MeetingBrief): string {
  const clients = brief.clients.map((c) => [c.name, c.email ? `<${c.email}>` : null, c.company ? `from ${c.company}` : null].filter(Boolean).join(' ')).join('\n');
  const blocks = [
    dataBlock('meeting_title', brief.title, 300),
    `Meeting time (salesperson's time zone): ${formatMeetingTime(brief.startAt, brief.endAt, brief.timeZone)}`,
    dataBlock('meeting_location', brief.location, 300),
    dataBlock('meeting_agenda', brief.bodyPreview, 2000),
    dataBlock('clients', clients, 1500),
  ];
  if (brief.earlierInSeries) blocks.push(earlierBlock(brief.earlierInSeries, brief.timeZone));
  for (const crm of brief.crm.slice(0, 5)) {
    const props = USEFUL_PROPERTIES.filter((k) => crm.properties[k]).map((k) => `${k}: ${crm.properties[k]!.slice(0, 200)}`);
    const company = crm.company ? [`company: ${crm.company.name}`, crm.company.domain ? `domain: ${crm.company.domain}` : '', crm.company.industry ? `industry: ${crm.company.industry}` : ''].filter(Boolean) : [];
    const notes = crm.notes.slice(0, 5).map((n) => `- ${n.timestamp ? new Date(n.timestamp).toISOString().slice(0, 10) : 'undated'}: ${stripHtml(n.body).slice(0, 600)}`);
    blocks.push(dataBlock(`crm_${crm.email}`, [...props, ...company, notes.length > 0 ? `recent notes:\n${notes.join('\n')}` : ''].filter(Boolean).join('\n'), 5000));
  }
  return blocks.join('\n\n');
}

/** The earlier meeting's date and note status are rolplay's own facts; its outcome came from a reply, so it is data. */
function earlierBlock(earlier: EarlierOccurrence, timeZone: string): string {
  const steps = earlier.nextSteps.slice(0, 10).map((s) => `- ${s.action}${s.due ? ` (due ${s.due})` : ''}`);
  const outcome = [
    `result: ${earlier.result}`,
    steps.length > 0 ? `next steps:\n${steps.join('\n')}` : 'next steps: none recorded',
    earlier.sentiment !== 'unknown' ? `sentiment: ${earlier.sentiment}` : '',
  ].filter(Boolean).join('\n');
  return [
    `Earlier meeting of this recurring series: ${formatMeetingTime(earlier.startAt, earlier.endAt, timeZone)}; ${earlier.noteLogged ? 'its outcome was logged as a HubSpot note' : 'no HubSpot note was logged for it'}.`,
    dataBlock('earlier_meeting_outcome', outcome, 2500),
  ].join('\n');
}

export function stripHtml(html: string): string {
  return html.replace(/<br\s*\/?>|<\/p>/gi, '\n').replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\n{3,}/g, '\n\n').trim();
}
