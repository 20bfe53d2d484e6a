import type { MeetingRow, UserRow } from '../../store/database.js';
import type { Services } from '../services.js';

const OPEN = ['scheduled', 'plan_sent', 'reminder_sent'] as const;
const HOUR = 3_600_000;

/**
 * The meetings "meetings" lists and "switch N" picks from: the user's open meetings that have
 * not ended (or ended within the last 12 hours), soonest first, at most nine.
 */
export async function selectableMeetings(services: Pick<Services, 'store' | 'clock'>, user: UserRow): Promise<MeetingRow[]> {
  const now = services.clock.now();
  const rows = await services.store.meetings.upcomingForUser(user.id, now - 36 * HOUR, now + 60 * 24 * HOUR);
  return rows.filter((m) => (OPEN as readonly string[]).includes(m.status) && m.end_at > now - 12 * HOUR).slice(0, 9);
}

/**
 * The meeting a conversation is about: the one picked with "switch N" while it is still open;
 * else the next one starting within conversation.horizonHours (or in progress); else the most
 * recent one not completed.
 */
export async function currentMeeting(services: Pick<Services, 'store' | 'clock' | 'config'>, user: UserRow): Promise<MeetingRow | undefined> {
  const now = services.clock.now();
  const state = await services.store.conversations.get(user.id);
  if (state?.meeting_id) {
    const pinned = await services.store.meetings.byId(state.meeting_id);
    if (pinned && pinned.user_id === user.id && (OPEN as readonly string[]).includes(pinned.status)) return pinned;
  }
  const horizon = now + services.config.conversation.horizonHours * HOUR;
  const soon = await services.store.meetings.upcomingForUser(user.id, now - 24 * HOUR, horizon);
  const next = soon.find((m) => (OPEN as readonly string[]).includes(m.status) && m.end_at > now);
  if (next) return next;
  const recent = await services.store.meetings.upcomingForUser(user.id, now - 60 * 24 * HOUR, now + 1);
  return recent.filter((m) => m.status !== 'completed').pop();
}
