import { formatPlan } from '../../domain/format-plan.js';
import { readPlan } from '../../domain/plan.js';
import { CATALOGUES, languageNamed, messagesFor, otherLanguages, type Language, type Messages } from '../../domain/messages/index.js';
import { meetingTime } from '../../domain/messages/intl-text.js';
import type { MeetingRow, UserRow } from '../../store/database.js';
import { currentMeeting, selectableMeetings } from './current-meeting.js';
import { reply, type InboundTurn } from './inbound-context.js';

/** The English help (tests and the README quote it); each salesperson gets their catalogue's. */
export const HELP_TEXT = CATALOGUES.en.commands.help;

export async function sendHelp(turn: InboundTurn): Promise<void> {
  const { commands } = messagesFor(turn.user.language);
  const about = turn.meeting ? commands.helpAbout({ title: turn.meeting.title }) : '';
  await reply(turn, commands.help + about, 'command');
}

export async function resendPlan(turn: InboundTurn): Promise<void> {
  const { meeting, user } = turn;
  const m = messagesFor(user.language);
  if (!meeting) return reply(turn, m.commands.noMeetings, 'command');
  const plan = readPlan(meeting.plan_json);
  if (!plan) return reply(turn, m.commands.planNotReady({ title: meeting.title }), 'command');
  await reply(turn, formatPlan(plan, { title: meeting.title, when: when(meeting, user, m) }, m), 'plan');
}

export async function listMeetings(turn: InboundTurn): Promise<void> {
  const { services, user } = turn;
  const m = messagesFor(user.language);
  const meetings = await selectableMeetings(services, user);
  if (meetings.length === 0) return reply(turn, m.commands.noMeetings, 'command', null);
  const current = await currentMeeting(services, user);
  const lines = meetings.map((row, i) => `${i + 1}. ${row.id === current?.id ? '▶ ' : ''}*${oneLine(row.title)}*, ${when(row, user, m)}`);
  await reply(turn, [m.commands.meetingsHeading, ...lines, '', m.commands.meetingsFooter].join('\n'), 'command', current?.id ?? null);
}

export async function switchMeeting(turn: InboundTurn, index: number): Promise<void> {
  const { services, user } = turn;
  const m = messagesFor(user.language);
  const meetings = await selectableMeetings(services, user);
  const chosen = meetings[index - 1];
  if (!chosen) return reply(turn, m.commands.noSuchMeeting({ index, count: meetings.length }), 'command');
  const stopped = await services.store.conversations.stopRoleplay(user.id, services.clock.now());
  await services.store.conversations.selectMeeting(user.id, chosen.id, services.clock.now());
  await reply(turn, m.commands.switched({ title: oneLine(chosen.title), when: when(chosen, user, m), roleplayStopped: !!stopped }), 'command', chosen.id);
}

/** "digest off" / "digest on": the weekly digest (schedule.digest) for this salesperson. */
export async function setDigest(turn: InboundTurn, on: boolean): Promise<void> {
  const { services, user } = turn;
  const { commands } = messagesFor(user.language);
  await services.store.users.setDigestEnabled(user.id, on, services.clock.now());
  // The choice is kept either way; without schedule.digest nobody gets a digest yet.
  const unscheduled = services.config.schedule.digest === '' ? commands.digestUnscheduled : '';
  await reply(turn, (on ? commands.digestOn : commands.digestOff) + unscheduled, 'command');
}

/**
 * "language es" / "idioma inglés": stores the salesperson's language and answers in the new one;
 * a language without a catalogue (or "language" alone) gets the list of those there are, in the
 * current one.
 */
export async function setLanguage(turn: InboundTurn, asked: string | null): Promise<void> {
  const { services, user } = turn;
  const current = messagesFor(user.language);
  const code: Language | undefined = asked === null ? undefined : languageNamed(asked);
  if (asked === null) return reply(turn, current.general.languageCurrent({ available: otherLanguages(current, languageNamed(user.language)) }), 'command');
  if (!code) return reply(turn, current.general.languageUnknown({ asked: asked.slice(0, 40), available: otherLanguages(current, undefined) }), 'command');
  await services.store.users.setLanguage(user.id, code, services.clock.now());
  await reply(turn, CATALOGUES[code].general.languageChanged, 'command');
}

function when(meeting: MeetingRow, user: UserRow, m: Messages): string {
  return meetingTime(m.locale, meeting.start_at, meeting.end_at, user.timezone);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 120);
}
