import { registerUser } from '../lifecycle/users/register-user.js';
import type { Logger } from '../support/logger.js';
import { errorMessage } from '../support/errors.js';
import type { MessageRow } from '../store/database.js';
import { createDemoWorld, DEMO_BOT, type DemoWorld } from './demo-world.js';
import { hubspotView, whatsAppView, type DemoNote } from './demo-transcript.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const SARA = { name: 'Sara Lopez', email: 'sara.lopez@demo-company.example', phone: '+14155550123' };
const ANN = { email: 'ann.lee@acme.example', firstname: 'Ann', lastname: 'Lee', jobtitle: 'Head of Operations' };

export interface DemoOptions {
  logger: Logger;
  /** Where the story and the transcripts go, line by line. */
  print(line?: string): void;
  geminiApiKey?: string;
  geminiModel?: string;
  /** The demo day starts at 09:00 UTC of this date (default today). */
  today?: Date;
}

export interface DemoResult {
  steps: number;
  whatsApp: MessageRow[];
  notes: DemoNote[];
  elapsedMs: number;
  simulatedMs: number;
}

/** A failed step of the story: which one, and what was expected. */
export class DemoStepError extends Error {}

/**
 * `rolplay demo`: one meeting's whole lifecycle against the simulators, on a fake clock. Each
 * step is the real code path (registration, calendar poll, jobs, signed webhooks); each is
 * checked, so the demo also proves a fresh install works end to end.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const day = options.today ?? new Date();
  const start = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 9, 0);
  const world = await createDemoWorld({ start, logger: options.logger, geminiApiKey: options.geminiApiKey, geminiModel: options.geminiModel });
  const { print } = options;
  let step = 0;
  const say = (text: string) => print(`${String(++step).padStart(2)}. ${clockText(world)}  ${text}`);
  try {
    print(options.geminiApiKey
      ? `Text: Google Gemini (${world.app.services.config.gemini.model}, GEMINI_API_KEY is set).`
      : 'Text: the Gemini simulator\'s scripted model (set GEMINI_API_KEY to have the real Gemini write it).');
    print();
    const acme = world.hubspot.addCompany({ name: 'Acme Corp', domain: 'acme.example', industry: 'Logistics' });
    const annId = world.hubspot.addContact(ANN, acme);

    say(`${SARA.name} registers: rolplay user add --name "${SARA.name}" --email ${SARA.email} --phone ${SARA.phone}`);
    const { user } = await registerUser(world.app.services, { ...SARA, welcome: true });
    await world.settle();
    await expectOut(world, user.id, 'welcome', 'the welcome message');

    await world.advance(2 * MIN);
    const meetingStart = start + HOUR;
    say(`She invites ${DEMO_BOT} to "Acme renewal" with Ann Lee (ann.lee@acme.example), 10:00-11:00 UTC`);
    world.graph.addEvent({
      subject: 'Acme renewal', organizer: { email: SARA.email, name: SARA.name }, start: meetingStart, end: meetingStart + HOUR,
      body: 'Renewal of the logistics platform; Ann wants to discuss the analytics add-on and pricing.',
      attendees: [DEMO_BOT, { email: ANN.email, name: 'Ann Lee' }], location: 'Microsoft Teams Meeting',
    });
    const poll = await world.ingest.poll();
    if (poll.counts.new !== 1) throw new DemoStepError(`the calendar poll found ${poll.counts.new} new meetings, expected 1`);
    await world.settle();
    say('rolplay sees the invitation on its calendar poll and writes a coaching plan');
    await expectOut(world, user.id, 'plan', 'the coaching plan');

    await world.advance(3 * MIN);
    say('Sara asks a question on WhatsApp');
    await ask(world, 'What should I say if Ann says the analytics add-on is too expensive?');

    await world.advance(2 * MIN);
    if (world.gemini) {
      say('On her way to the car Sara sends a voice note instead; rolplay listens to it and answers');
      await askByVoice(world, 'Ann mentioned a competitor last time. How do I bring up our uptime record without sounding defensive?');
    }

    await world.advance(4 * MIN);
    say('Sara practises: she asks rolplay to play Ann, answers twice, then stops for a score');
    for (const line of ['roleplay', 'Thanks for making the time, Ann. What would make this renewal a clear win for you?', 'We can start the add-on as a 60-day pilot on one warehouse, so you see the savings before you pay for all sites.', 'stop']) {
      await ask(world, line);
      await world.advance(MIN);
    }

    await world.clock.advance(meetingStart + HOUR - world.clock.now());
    say('The meeting ends');
    await world.advance(MIN);
    say('One minute later rolplay asks how it went');
    await expectOut(world, user.id, 'reminder', 'the reminder');

    await world.advance(5 * MIN);
    say('Sara answers');
    await ask(world, 'Done - Ann agreed to a 60-day pilot of the analytics add-on at the Dallas warehouse starting March 1; she needs a security review first, I send the questionnaire by Friday.');
    await world.advance(MIN);
    const meeting = (await world.store.meetings.list()).find((m) => m.title === 'Acme renewal');
    if (!meeting?.hubspot_note_id) throw new DemoStepError(`no HubSpot note was logged for the meeting (status ${meeting?.status ?? 'missing'}); jobs: ${await jobSummary(world)}`);
    say(`The outcome is logged as a note on Ann Lee's HubSpot contact (note ${meeting.hubspot_note_id}); the meeting is ${meeting.status}`);

    await world.advance(3 * MIN);
    const weekly = start - 30 * MIN + 7 * 24 * HOUR;
    say('Sara sets up a weekly check-in with Ann: four meetings, 08:30-09:00 UTC from next week');
    const { masterId } = world.graph.addSeries({
      subject: 'Acme weekly check-in', organizer: { email: SARA.email, name: SARA.name }, start: weekly, end: weekly + 30 * MIN,
      body: 'Weekly check-in on the analytics pilot.', attendees: [DEMO_BOT, { email: ANN.email, name: 'Ann Lee' }], occurrences: 4, everyDays: 7,
    });
    await world.ingest.poll();
    await world.settle();
    const occurrences = (await world.store.meetings.list()).filter((m) => m.series_master_id === masterId);
    const planned = occurrences.filter((m) => m.status === 'plan_sent').length;
    if (occurrences.length !== 2 || planned !== 1) throw new DemoStepError(`the weekly series gave ${occurrences.length} meetings in the look-ahead (${planned} with a plan), expected 2 (1)`);
    say(`Graph lists each occurrence with only its times; rolplay fills them in from the series and coaches the ${occurrences.length} in its 14-day look-ahead: the first plan now, the next after this week's outcome`);

    const whatsApp = await world.store.messages.recentForUser(user.id, 500);
    const notes: DemoNote[] = world.hubspot.records('notes')
      .filter((n) => world.hubspot.associationsOf('notes', n.id).some((a) => a.toId === annId))
      .map((n) => ({ id: n.id, body: n.properties.hs_note_body ?? '', timestamp: noteTime(n.properties.hs_timestamp, n.createdAt) }));
    print();
    for (const line of whatsAppView(whatsApp, SARA)) print(line);
    print();
    for (const line of hubspotView(notes, 'Ann Lee', 'Acme Corp')) print(line);
    return { steps: step, whatsApp, notes, elapsedMs: Date.now() - started, simulatedMs: world.clock.now() - start };
  } finally {
    await world.close();
  }
}

async function ask(world: DemoWorld, body: string): Promise<void> {
  const before = world.twilio.sentTo(SARA.phone).length;
  await world.whatsAppFrom(SARA.phone, body);
  if (world.twilio.sentTo(SARA.phone).length === before) {
    throw new DemoStepError(`no answer on WhatsApp to "${body.slice(0, 40)}"; jobs: ${await jobSummary(world)}`);
  }
}

/** A voice note; the simulator's recording is silence, so only the Gemini simulator can transcribe it. */
async function askByVoice(world: DemoWorld, words: string): Promise<void> {
  const before = world.twilio.sentTo(SARA.phone).length;
  await world.voiceNoteFrom(SARA.phone, words);
  const replies = world.twilio.sentTo(SARA.phone).slice(before);
  if (replies.length === 0) throw new DemoStepError(`no answer on WhatsApp to the voice note; jobs: ${await jobSummary(world)}`);
  const user = await world.store.users.byPhone(SARA.phone);
  const stored = user ? (await world.store.messages.recentForUser(user.id, 500)).find((m) => m.direction === 'in' && Number(m.voice) === 1) : undefined;
  if (stored?.body !== words) throw new DemoStepError(`the voice note was not transcribed (got "${stored?.body ?? 'nothing'}")`);
}

async function expectOut(world: DemoWorld, userId: number, kind: string, what: string): Promise<void> {
  const sent = (await world.store.messages.recentForUser(userId, 500)).filter((m) => m.direction === 'out' && m.kind === kind);
  if (sent.length === 0) throw new DemoStepError(`${what} did not arrive on WhatsApp; jobs: ${await jobSummary(world)}`);
}

async function jobSummary(world: DemoWorld): Promise<string> {
  const jobs = await world.store.jobs.list();
  return jobs.map((j) => `${j.kind} ${j.status}${j.last_error ? ` (${errorMessage(j.last_error).slice(0, 160)})` : ''}`).join('; ') || 'none';
}

/** hs_timestamp is epoch milliseconds or an ISO date, depending on who wrote it. */
function noteTime(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const t = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(t) ? t : fallback;
}

function clockText(world: DemoWorld): string {
  return new Date(world.clock.now()).toISOString().slice(11, 16);
}
