import type { CrmCompany, CrmContact, CrmNoteSummary } from './crm.js';

/**
 * Reading HubSpot records defensively: every field of a reply may be missing, null, or of an
 * unexpected type (property values are strings on the wire, but not always in practice).
 */
export interface RawRecord {
  id?: unknown;
  properties?: unknown;
}

export function propertiesOf(record: RawRecord | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const props = record?.properties;
  if (!props || typeof props !== 'object') return out;
  for (const [key, value] of Object.entries(props as Record<string, unknown>)) {
    if (value === null || value === undefined) continue;
    const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
    if (text !== '') out[key] = text;
  }
  return out;
}

export function idOf(record: RawRecord | null | undefined): string | null {
  const id = record?.id;
  if (typeof id === 'string' && id !== '') return id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return null;
}

export function toContact(record: RawRecord | null | undefined): CrmContact | null {
  const id = idOf(record);
  if (!id) return null;
  const properties = propertiesOf(record);
  return {
    id,
    email: properties.email ?? null,
    firstName: properties.firstname ?? null,
    lastName: properties.lastname ?? null,
    companyId: properties.associatedcompanyid && /^\d+$/.test(properties.associatedcompanyid) ? properties.associatedcompanyid : null,
    properties,
  };
}

export function toCompany(record: RawRecord | null | undefined): CrmCompany | null {
  const id = idOf(record);
  if (!id) return null;
  const p = propertiesOf(record);
  return { id, name: p.name ?? null, domain: p.domain ?? null, industry: p.industry ?? null };
}

export function toNoteSummary(record: RawRecord | null | undefined): CrmNoteSummary | null {
  const id = idOf(record);
  if (!id) return null;
  const p = propertiesOf(record);
  return { id, body: p.hs_note_body ?? '', timestamp: parseTimestamp(p.hs_timestamp) };
}

/** hs_timestamp arrives as an ISO date (search and reads) or epoch ms (what was written). */
export function parseTimestamp(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** The results array of a search or page reply, or [] when it is missing. */
export function resultsOf(reply: unknown): RawRecord[] {
  const results = (reply as { results?: unknown } | null)?.results;
  return Array.isArray(results) ? results.filter((r): r is RawRecord => !!r && typeof r === 'object') : [];
}

/** Note bodies are HTML; the plan prompt wants plain text. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h\d)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
