import { stripHtml } from '../domain/meeting-brief.js';
import type { MessageRow } from '../store/database.js';

export interface DemoNote {
  id: string;
  body: string;
  timestamp: number;
}

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const rule = (title: string) => `── ${title} ${'─'.repeat(Math.max(4, 76 - title.length))}`;
const indent = (text: string) => text.split('\n').map((l) => (l.trim() === '' ? '' : `    ${l}`));

/** The conversation as it reads on the salesperson's phone: who wrote, when, what. */
export function whatsAppView(messages: MessageRow[], who: { name: string; phone: string }): string[] {
  const lines = [rule(`WhatsApp: ${who.name}'s phone (${who.phone}), chat with rolplay`)];
  for (const m of messages) {
    const from = m.direction === 'out' ? 'rolplay' : who.name.split(' ')[0]!;
    // A voice note shows as what rolplay understood of it.
    const body = Number(m.voice) === 1 ? `🎤 voice note: "${m.body}"` : m.body;
    lines.push(`[${hhmm(Number(m.created_at))}] ${from}:`, ...indent(body));
  }
  return lines;
}

/** What a sales manager finds in HubSpot afterwards: the note on the client's contact. */
export function hubspotView(notes: DemoNote[], contact: string, company: string): string[] {
  const lines = [rule(`HubSpot: contact ${contact} (${company}), activity`)];
  if (notes.length === 0) lines.push('    (no note)');
  for (const n of notes) {
    lines.push(`Note ${n.id}, ${new Date(n.timestamp).toISOString().slice(0, 16).replace('T', ' ')} UTC:`, ...indent(stripHtml(n.body).replace(/&quot;/g, '"').replace(/&#0?39;/g, "'")));
  }
  return lines;
}
