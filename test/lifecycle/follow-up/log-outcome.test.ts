import { afterEach, describe, expect, it } from 'vitest';
import type { LanguageModel } from '../../../src/clients/gemini/language-model.js';
import { scheduleFollowUp } from '../../../src/lifecycle/follow-up/schedule-follow-up.js';
import { tryHandleOutcome } from '../../../src/lifecycle/follow-up/record-outcome.js';
import type { MeetingRow } from '../../../src/store/database.js';
import { backends } from '../../helpers/stores.js';
import { followUpWorld, HOUR, MIN, T0, type World, type WorldOptions } from '../../helpers/follow-up-world.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

function fakeModel(answer: unknown, calls: string[] = []): LanguageModel {
  return {
    async generateJson(request) {
      calls.push(request.prompt ?? '');
      if (answer instanceof Error) throw answer;
      return request.validate(answer);
    },
    async generateText() {
      return '';
    },
  };
}

const PILOT = { result: 'They want a pilot in March', nextSteps: [{ action: 'Set up the pilot', due: '2026-03-01' }, { action: 'Send references', due: null }], sentiment: 'positive' };

/** A meeting at 10:00-10:30 whose reminder has gone out (10:31). */
async function reminded(options: WorldOptions = {}, meeting: Parameters<World['meeting']>[0] = {}): Promise<MeetingRow> {
  w ??= await followUpWorld(options);
  const m = await w.meeting(meeting);
  await scheduleFollowUp(w.services, m);
  w.runner.start();
  await w.advance(Math.max(0, m.end_at + MIN - w.clock.now()));
  return w.reload(m.id);
}

async function reply(text: string, sid: string, repliedToSid?: string): Promise<boolean> {
  const handled = await tryHandleOutcome(w!.services, w!.user, text, sid, { repliedToSid });
  await w!.advance();
  return handled;
}

describe.each(backends)('outcome to HubSpot (%s)', (backend) => {
  it('structures the reply, logs one note on the contact (202) and company (190) at the meeting start, completes and confirms', async () => {
    const calls: string[] = [];
    w = await followUpWorld({ backend, model: fakeModel(PILOT, calls) });
    const company = w.hub.addCompany({ name: 'Acme', domain: 'acme.example' });
    const contact = w.hub.addContact({ email: 'ann@acme.example', firstname: 'Ann' }, company);
    const m = await reminded();
    expect(await reply('Done - they want a pilot in March', 'SM1')).toBe(true);
    expect(calls[0]).toContain('they want a pilot in March');
    const notes = w.hub.records('notes');
    expect(notes).toHaveLength(1);
    const note = notes[0]!;
    expect(note.properties.hs_timestamp).toBe(new Date(m.start_at).toISOString());
    for (const text of ['Quarterly review', 'They want a pilot in March', 'Set up the pilot (by 1 Mar 2026)', 'Lead with the ROI numbers', `[rolplay:meeting:${m.id}]`]) expect(note.properties.hs_note_body).toContain(text);
    expect(w.hub.associationsOf('notes', note.id).map((a) => [a.toType, a.toId, a.typeId])).toEqual([['contacts', contact, 202], ['companies', company, 190]]);
    const done = await w.reload(m.id);
    expect(done).toMatchObject({ status: 'completed', hubspot_note_id: note.id, last_reply: 'Done - they want a pilot in March', completed_at: w.clock.now() });
    expect(JSON.parse(done.outcome_json!)).toMatchObject({ result: 'They want a pilot in March', sentiment: 'positive', source: 'model' });
    expect((await w.t.store.clients.forMeeting(m.id))[0]).toMatchObject({ hubspot_contact_id: contact, hubspot_company_id: company });
    const confirmation = w.sent.at(-1)!;
    expect(confirmation.kind).toBe('outcome');
    expect(confirmation.body).toBe('Logged Quarterly review to HubSpot for Ann Lee (Acme): "They want a pilot in March". Next steps: Set up the pilot (by 1 Mar 2026); Send references.');
    expect(w.hub.records('tasks')).toEqual([]);
  });

  it('falls back to the raw reply when the model fails, and logs a bare Done without asking the model', async () => {
    const calls: string[] = [];
    w = await followUpWorld({ backend, model: fakeModel(new Error('model down'), calls) });
    w.hub.addContact({ email: 'ann@acme.example' });
    const first = await reminded();
    await reply('Done - they want a pilot in March', 'SM1');
    expect(JSON.parse((await w.reload(first.id)).outcome_json!)).toMatchObject({ result: 'they want a pilot in March', source: 'raw' });
    expect(w.hub.records('notes')[0]!.properties.hs_note_body).toContain('they want a pilot in March');
    const second = await reminded({}, { title: 'Second call', start: w.clock.now() + HOUR });
    await reply('done.', 'SM2');
    expect(calls).toHaveLength(1);
    expect(await w.reload(second.id)).toMatchObject({ status: 'completed' });
    expect(w.hub.records('notes')[1]!.properties.hs_note_body).toContain('Meeting completed; no details given.');
    expect(w.sent.at(-1)!.body).toMatch(/^Logged Second call to HubSpot for Ann Lee \(Acme\): marked as done\./);
  });

  it('without HubSpot configured stores the outcome and says so', async () => {
    w = await followUpWorld({ backend, hubspot: false });
    const m = await reminded();
    await reply('Went well, proposal next week', 'SM1');
    expect(await w.reload(m.id)).toMatchObject({ status: 'completed', hubspot_note_id: null, last_reply: 'Went well, proposal next week' });
    expect(w.sent.at(-1)!.body).toBe('Saved the outcome of Quarterly review: "Went well, proposal next week". HubSpot is not set up (hubspot.accessToken), so nothing was logged there.');
    expect(w.hub.requests).toEqual([]);
  });

  it('creates a missing contact when configured; otherwise completes with the reason', async () => {
    w = await followUpWorld({ backend, config: { hubspot: { createMissingContacts: true } } });
    await reminded({}, { clients: [{ email: 'New.Person@Client.example', name: 'New Person', company: 'Client Co' }] });
    await reply('Good first call', 'SM1');
    const [created] = w.hub.records('contacts');
    expect(created!.properties).toMatchObject({ email: 'new.person@client.example', firstname: 'New', lastname: 'Person', company: 'Client Co' });
    expect(w.hub.associationsOf('notes', w.hub.records('notes')[0]!.id).map((a) => [a.toId, a.typeId])).toEqual([[created!.id, 202]]);
    await w.close();

    w = await followUpWorld({ backend });
    const m = await reminded({}, { clients: [{ email: 'ghost@client.example', name: 'Ghost' }] });
    await reply('Good first call', 'SM1');
    expect(w.hub.records('notes')).toEqual([]);
    expect((await w.reload(m.id)).status).toBe('completed');
    expect(w.sent.at(-1)!.body).toContain('Nothing went to HubSpot: no HubSpot contact for ghost@client.example (turn on hubspot.createMissingContacts to create them).');
  });

  it('creates a follow-up task (204) for each dated next step when hubspot.createTasks is on', async () => {
    w = await followUpWorld({ backend, model: fakeModel(PILOT), config: { hubspot: { createTasks: true } } });
    const contact = w.hub.addContact({ email: 'ann@acme.example' });
    await reminded();
    await reply('Done - pilot in March, references', 'SM1');
    const tasks = w.hub.records('tasks');
    expect(tasks.map((t) => [t.properties.hs_task_subject, t.properties.hs_timestamp])).toEqual([['Set up the pilot', '2026-03-01T12:00:00.000Z']]);
    expect(w.hub.associationsOf('tasks', tasks[0]!.id).map((a) => [a.toId, a.typeId])).toEqual([[contact, 204]]);
    expect(w.sent.at(-1)!.body).toContain('and 1 follow-up task');
  });

  it('a 429 is retried after HubSpot\'s ten seconds and still makes exactly one note', async () => {
    w = await followUpWorld({ backend });
    w.hub.addContact({ email: 'ann@acme.example' });
    const m = await reminded();
    w.hub.rateLimitNext(1);
    await tryHandleOutcome(w.services, w.user, 'Done', 'SM1');
    await w.advance();
    expect(w.hub.records('notes')).toHaveLength(0);
    expect((await w.reload(m.id)).status).toBe('reminder_sent');
    await w.advance(10_000);
    expect(w.hub.records('notes')).toHaveLength(1);
    expect((await w.reload(m.id)).status).toBe('completed');
  });

  it('after a note create whose answer was lost, finds the note by its marker instead of creating another', async () => {
    w = await followUpWorld({ backend });
    w.hub.addContact({ email: 'ann@acme.example' });
    const m = await reminded();
    const before = w.hub.requests.length;
    // The note is written, but the connection drops before HubSpot's answer arrives.
    w.hub.faultOn('POST', /^\/crm\/v3\/objects\/notes$/, 'drop-after-commit');
    await tryHandleOutcome(w.services, w.user, 'Done', 'SM1');
    await w.advance();
    expect(w.hub.records('notes')).toHaveLength(1);
    expect((await w.reload(m.id)).status).toBe('reminder_sent');
    await w.advance(30_000);
    expect(w.hub.records('notes')).toHaveLength(1);
    const done = await w.reload(m.id);
    expect(done).toMatchObject({ status: 'completed', hubspot_note_id: w.hub.records('notes')[0]!.id });
    expect(w.hub.requests.slice(before).filter((r) => r.path === '/crm/v3/objects/notes/search')).toHaveLength(1);
  });

  it('a 100,000-character voice-note transcript still makes one note, marker kept, found again after a lost answer', async () => {
    w = await followUpWorld({ backend, model: fakeModel(PILOT) });
    w.hub.addContact({ email: 'ann@acme.example' });
    const m = await reminded();
    const transcript = `Done - it's "great" & <long>: ${'they talked about pricing and the pilot. '.repeat(2500)}the end of the transcript`;
    expect(transcript.length).toBeGreaterThan(100_000);
    w.hub.faultOn('POST', /^\/crm\/v3\/objects\/notes$/, 'drop-after-commit');
    await tryHandleOutcome(w.services, w.user, transcript, 'SM1');
    await w.advance();
    expect((await w.reload(m.id)).status).toBe('reminder_sent');
    await w.advance(30_000);
    const notes = w.hub.records('notes');
    expect(notes).toHaveLength(1);
    const body = notes[0]!.properties.hs_note_body!;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.endsWith(`[rolplay:meeting:${m.id}]</p>`)).toBe(true);
    expect(body).toContain('it&#39;s &quot;great&quot; &amp; &lt;long&gt;');
    expect(body).toContain('the end of the transcript');
    expect(body).toMatch(/characters left out/);
    expect(w.hub.requests.filter((r) => r.path === '/crm/v3/objects/notes/search')).toHaveLength(1);
    expect(await w.reload(m.id)).toMatchObject({ status: 'completed', hubspot_note_id: notes[0]!.id });
  });

  it('a rejected token completes the meeting, tells the salesperson, and alerts the admin once', async () => {
    w = await followUpWorld({ backend, config: { hubspot: { accessToken: 'pat-wrong' } } });
    const a = await reminded();
    await reply('Done', 'SM1');
    const b = await reminded({}, { title: 'Second call', start: w.clock.now() + HOUR });
    await reply('Done', 'SM2');
    for (const m of [a, b]) expect((await w.reload(m.id)).status).toBe('completed');
    expect(w.sent.filter((s) => s.kind === 'outcome').map((s) => s.body)).toEqual([
      'Saved the outcome of Quarterly review: marked as done. It could not be logged to HubSpot: its access token is not valid. Your admin has been told.',
      'Saved the outcome of Second call: marked as done. It could not be logged to HubSpot: its access token is not valid. Your admin has been told.',
    ]);
    const admin = w.sent.filter((s) => s.kind === 'admin');
    expect(admin).toHaveLength(1);
    expect(admin[0]!.body).toMatch(/hubspot\.accessToken/);
    expect(admin[0]!.body).not.toContain('pat-wrong');
  });

  it('a Done for a meeting already completed says so and logs nothing twice', async () => {
    w = await followUpWorld({ backend });
    w.hub.addContact({ email: 'ann@acme.example' });
    await reminded();
    await reply('Done', 'SM1');
    expect(await reply('Done', 'SM2')).toBe(true);
    expect(w.hub.records('notes')).toHaveLength(1);
    expect(w.sent.at(-1)!.body).toBe('Quarterly review is already logged in HubSpot; nothing more to do.');
    expect(await reply('What should I ask next time?', 'SM3')).toBe(false);
  });

  it('leaves commands and messages with nothing awaiting to the conversation; a quoted reminder picks its meeting', async () => {
    w = await followUpWorld({ backend, hubspot: false });
    expect(await tryHandleOutcome(w.services, w.user, 'Done', 'SM0')).toBe(false);
    const first = await reminded({}, { title: 'First', start: T0 + HOUR });
    const second = await reminded({}, { title: 'Second', start: T0 + 2 * HOUR });
    expect(await tryHandleOutcome(w.services, w.user, 'help', 'SM1')).toBe(false);
    expect(await tryHandleOutcome(w.services, w.user, 'roleplay', 'SM2')).toBe(false);
    // Twilio gives the quoted message's SID: the reply is about the first meeting, not the latest.
    await w.t.store.messages.record({ direction: 'out', userId: w.user.id, meetingId: first.id, phone: w.user.phone, body: 'How did First go?', twilioSid: 'SMrem1', kind: 'reminder' }, w.clock.now());
    expect(await reply('First went great', 'SM3', 'SMrem1')).toBe(true);
    expect(await w.reload(first.id)).toMatchObject({ status: 'completed', last_reply: 'First went great' });
    expect(await reply('Second was meh', 'SM4')).toBe(true);
    expect(await w.reload(second.id)).toMatchObject({ status: 'completed', last_reply: 'Second was meh' });
  });
});
