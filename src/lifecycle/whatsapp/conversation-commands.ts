import { formatPlan } from '../../domain/format-plan.js';
import { readPlan } from '../../domain/plan.js';
import { formatMeetingTime } from '../../domain/meeting-brief.js';
import type { MeetingRow, UserRow } from '../../store/database.js';
import { currentMeeting, selectableMeetings } from './current-meeting.js';
import { reply, type InboundTurn } from './inbound-context.js';

export const HELP_TEXT = [
  '*rolplay, your sales coach*',
  '• *meetings*: your upcoming meetings',
  '• *switch N*: talk about meeting number N',
  '• *plan*: send the coaching plan again',
  '• *roleplay* (or *roleplay easy* / *roleplay hard*): I play the client',
  '• *stop*: end the role-play and get your score, compared with your last three',
  '_Each role-play\'s client leans on your weakest part lately (discovery, objections or next step)._',
  '• *digest off* / *digest on*: stop or resume your weekly summary',
  '• anything else: ask me about your meeting',
  '_En español: ayuda, reuniones, cambiar N, plan, practicar, parar._',
].join('\n');

export async function sendHelp(turn: InboundTurn): Promise<void> {
  const about = turn.meeting ? `\n\nRight now we are talking about *${turn.meeting.title}*.` : '';
  await reply(turn, HELP_TEXT + about, 'command');
}

export async function resendPlan(turn: InboundTurn): Promise<void> {
  const { meeting, user } = turn;
  if (!meeting) return reply(turn, 'You have no upcoming meetings with clients. Invite the coach to one in Outlook and I will prepare a plan.', 'command');
  const plan = readPlan(meeting.plan_json);
  if (!plan) return reply(turn, `The plan for *${meeting.title}* is not ready yet. I will send it as soon as it is.`, 'command');
  await reply(turn, formatPlan(plan, { title: meeting.title, when: when(meeting, user) }), 'plan');
}

export async function listMeetings(turn: InboundTurn): Promise<void> {
  const { services, user } = turn;
  const meetings = await selectableMeetings(services, user);
  if (meetings.length === 0) return reply(turn, 'You have no upcoming meetings with clients. Invite the coach to one in Outlook and I will prepare a plan.', 'command', null);
  const current = await currentMeeting(services, user);
  const lines = meetings.map((m, i) => `${i + 1}. ${m.id === current?.id ? '▶ ' : ''}*${oneLine(m.title)}*, ${when(m, user)}`);
  await reply(turn, ['*Your meetings*', ...lines, '', 'Send *switch N* to talk about another one.'].join('\n'), 'command', current?.id ?? null);
}

export async function switchMeeting(turn: InboundTurn, index: number): Promise<void> {
  const { services, user } = turn;
  const meetings = await selectableMeetings(services, user);
  const chosen = meetings[index - 1];
  if (!chosen) {
    const range = meetings.length === 0 ? 'You have no upcoming meetings.' : `Pick a number from 1 to ${meetings.length} (send *meetings* to see them).`;
    return reply(turn, `There is no meeting ${index}. ${range}`, 'command');
  }
  const stopped = await services.store.conversations.stopRoleplay(user.id, services.clock.now());
  await services.store.conversations.selectMeeting(user.id, chosen.id, services.clock.now());
  const note = stopped ? ' (the role-play was stopped)' : '';
  await reply(turn, `Now talking about *${oneLine(chosen.title)}*, ${when(chosen, user)}${note}. Ask me anything, or send *plan* or *roleplay*.`, 'command', chosen.id);
}

/** "digest off" / "digest on": the weekly digest (schedule.digest) for this salesperson. */
export async function setDigest(turn: InboundTurn, on: boolean): Promise<void> {
  const { services, user } = turn;
  await services.store.users.setDigestEnabled(user.id, on, services.clock.now());
  const text = on
    ? 'Your weekly digest is on: a summary of your week (meetings, role-plays, outcomes) when the week ends. Send *digest off* to stop it.'
    : 'Your weekly digest is off. Send *digest on* to get it again.';
  // The choice is kept either way; without schedule.digest nobody gets a digest yet.
  const unscheduled = services.config.schedule.digest === '' ? ' (Weekly digests are not switched on for your team yet.)' : '';
  await reply(turn, text + unscheduled, 'command');
}

function when(meeting: MeetingRow, user: UserRow): string {
  return formatMeetingTime(meeting.start_at, meeting.end_at, user.timezone);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 120);
}
