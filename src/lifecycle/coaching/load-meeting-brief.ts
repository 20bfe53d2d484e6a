import { errorMessage } from '../../support/errors.js';
import type { CrmClientContext, EarlierOccurrence, MeetingBrief } from '../../domain/meeting-brief.js';
import { readOutcome } from '../../domain/outcome.js';
import type { MeetingRow, UserRow } from '../../store/database.js';
import type { Services } from '../services.js';

/** Reads a client's CRM context; a small cache in front keeps chat turns from hitting HubSpot each time. */
export type CrmContextReader = (email: string) => Promise<CrmClientContext | null>;

/**
 * The meeting as the prompts see it: the salesperson's own meeting and its clients only, and
 * CRM context when a CRM is configured. A CRM failure costs the context, not the plan.
 */
export async function loadMeetingBrief(
  services: Pick<Services, 'store' | 'logger' | 'config'>,
  meeting: MeetingRow,
  user: UserRow,
  readCrm?: CrmContextReader,
): Promise<MeetingBrief> {
  if (meeting.user_id !== user.id) throw new Error(`meeting ${meeting.id} does not belong to user ${user.id}`);
  const clients = await services.store.clients.forMeeting(meeting.id);
  const crm: CrmClientContext[] = [];
  if (readCrm) {
    for (const client of clients.slice(0, 5)) {
      if (!client.email) continue;
      try {
        const context = await readCrm(client.email);
        if (context) crm.push(context);
      } catch (error) {
        services.logger.warn({ meeting: meeting.id, err: errorMessage(error) }, 'CRM context unavailable; preparing without it');
      }
    }
  }
  const earlierInSeries = await earlierOccurrence(services, meeting);
  return {
    title: meeting.title,
    bodyPreview: meeting.body_preview,
    location: meeting.location,
    startAt: meeting.start_at,
    endAt: meeting.end_at,
    timeZone: user.timezone || services.config.defaults.timezone,
    salespersonName: user.name,
    language: user.language,
    clients: clients.map((c) => ({ name: c.name, email: c.email, company: c.company })),
    crm,
    ...(earlierInSeries ? { earlierInSeries } : {}),
  };
}

/**
 * For a meeting of a recurring series: what the latest earlier meeting of the series (the same
 * salesperson's) with a recorded outcome taught, so its plan builds on it. One indexed query,
 * none for a single meeting.
 */
async function earlierOccurrence(services: Pick<Services, 'store'>, meeting: MeetingRow): Promise<EarlierOccurrence | undefined> {
  if (meeting.series_master_id === null) return undefined;
  const earlier = await services.store.meetings.latestEarlierWithOutcome(meeting);
  const outcome = earlier ? readOutcome(earlier.outcome_json, earlier.last_reply) : undefined;
  if (!earlier || !outcome) return undefined;
  return {
    startAt: Number(earlier.start_at),
    endAt: Number(earlier.end_at),
    result: outcome.result,
    nextSteps: outcome.nextSteps.map((s) => ({ action: s.action, due: s.due })),
    sentiment: outcome.sentiment,
    noteLogged: earlier.hubspot_note_id !== null,
  };
}

/** Adapts the HubSpot client (when configured) to the prompt's CRM context, with a short cache. */
export function crmContextReader(services: Pick<Services, 'crm' | 'clock'>, ttlMs = 10 * 60_000): CrmContextReader | undefined {
  const crm = services.crm;
  if (!crm) return undefined;
  const cache = new Map<string, { at: number; value: CrmClientContext | null }>();
  return async (email) => {
    const key = email.toLowerCase();
    const hit = cache.get(key);
    if (hit && services.clock.now() - hit.at < ttlMs) return hit.value;
    const context = await crm.getClientContext(key);
    const value: CrmClientContext | null = context
      ? {
          email: key,
          properties: context.properties ?? {},
          company: context.company ? { name: context.company.name, domain: context.company.domain, industry: context.company.industry } : undefined,
          notes: (context.notes ?? []).map((n) => ({ body: n.body, timestamp: n.timestamp })),
        }
      : null;
    cache.set(key, { at: services.clock.now(), value });
    if (cache.size > 500) cache.delete(cache.keys().next().value!);
    return value;
  };
}
