import { afterEach, describe, expect, it } from 'vitest';
import { en } from '../../src/domain/messages/en.js';
import { scheduleFollowUp } from '../../src/lifecycle/follow-up/schedule-follow-up.js';
import { oggOpusFile } from '../../src/sandbox/ogg-opus-file.js';
import { backends } from '../helpers/stores.js';
import { createVoiceWorld, MIN, SETTLE_MS, type VoiceWorld } from '../helpers/voice-world.js';

let w: VoiceWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/**
 * Issue 14, voice notes in: signed webhooks with a MediaUrl0 into the daemon's own listener, the
 * media downloaded from the Twilio simulator with the real credentials (and its redirect), the
 * transcript from the Gemini simulator through @google/genai, then the same conversation as text.
 */
describe.each(backends)('voice notes in, end to end (%s)', (backend) => {
  it('a voice question gets the coach, as if typed: transcript stored (marked voice), names sent as hints, audio kept nowhere', async () => {
    w = await createVoiceWorld({ backend });
    await w.meeting();
    const question = 'How do I answer Ann if she says the add-on is too expensive?';
    const answer = await w.voice(question);
    expect(answer.status).toBe(200);
    expect(w.twilio.mediaDownloads.get(answer.mediaSid)).toBe(1);

    const [listen, coach] = w.gemini.calls;
    expect(listen!.audio).toHaveLength(1);
    expect(listen!.audio[0]!.mimeType).toBe('audio/ogg');
    expect(listen!.contents[0]!.text).toMatch(/Sam Seller[\s\S]*Quarterly review[\s\S]*Ann Lee[\s\S]*Acme/);
    expect(coach!.audio).toHaveLength(0);
    expect(coach!.contents.at(-1)!.text).toContain(question);
    expect(w.replies()).toHaveLength(1);
    expect(w.replies()[0]).not.toBe(en.voice.notUnderstood);

    const stored = await w.t.store.db.selectFrom('messages').selectAll().where('direction', '=', 'in').execute();
    expect(stored.map((m) => [m.body, m.kind, Number(m.voice)])).toEqual([[question, 'chat', 1]]);
    const out = await w.t.store.db.selectFrom('messages').select(['kind']).where('direction', '=', 'out').execute();
    expect(out.map((m) => m.kind)).toEqual(['coach']);
    // No audio anywhere in the store: not in messages, not in the job's payload.
    const jobs = await w.t.store.db.selectFrom('jobs').select(['payload']).execute();
    expect(jobs.some((j) => j.payload.includes('T2dnUw') || j.payload.includes('OggS'))).toBe(false);
  });

  it('a voice note whose type carries parameters ("audio/ogg; codecs=opus") reaches Gemini as the bare type', async () => {
    w = await createVoiceWorld({ backend });
    await w.meeting();
    await w.voice('What is the best opening for Ann?', { contentType: 'audio/ogg; codecs=opus' });
    const [listen] = w.gemini.calls;
    expect(listen!.audio[0]!.mimeType).toBe('audio/ogg');
    expect(w.replies()).toHaveLength(1);
    expect(w.replies()[0]).not.toBe(en.voice.notUnderstood);
    expect(w.replies()[0]).not.toBe(en.voice.couldNotFetch);
  });

  it('a retry after the transcript was stored (the coach\'s model overloaded) reuses it: one download, one transcription, one reply', async () => {
    w = await createVoiceWorld({ backend });
    await w.meeting();
    w.gemini.script({ error: 503 }, { error: 503 }, { error: 503 });
    const sent = await w.voice('What is the best next step to propose?');
    await w.advance(2 * MIN);
    expect(w.twilio.mediaDownloads.get(sent.mediaSid)).toBe(1);
    expect(w.gemini.calls.filter((c) => c.audio.length > 0)).toHaveLength(1);
    expect(w.gemini.calls.at(-1)!.contents.at(-1)!.text).toContain('What is the best next step to propose?');
    expect(w.replies()).toHaveLength(1);
    const job = (await w.t.store.db.selectFrom('jobs').selectAll().where('kind', '=', 'handle_inbound').executeTakeFirst())!;
    expect([job.status, Number(job.attempts)]).toEqual(['done', 2]);
  });

  it('a voice answer in a role-play gets the client in character; a spoken command works too', async () => {
    w = await createVoiceWorld({ backend });
    await w.meeting();
    await w.voice('Role play.');
    expect(w.gemini.calls.at(-1)!.system).toMatch(/^ROLE-PLAY/);
    const opener = w.replies().at(-1)!;
    expect(opener).toMatch(/Role-play/);
    await w.voice('Hi Ann, what would make this renewal a success for you?');
    const turn = w.gemini.calls.at(-1)!;
    expect(turn.system).toMatch(/^ROLE-PLAY/);
    expect(turn.contents.at(-1)!.text).toContain('what would make this renewal a success for you?');
    expect(w.replies()).toHaveLength(2);
    const kinds = await w.t.store.db.selectFrom('messages').select(['kind', 'voice']).where('direction', '=', 'in').orderBy('id').execute();
    expect(kinds.map((k) => [k.kind, Number(k.voice)])).toEqual([['command', 1], ['roleplay', 1]]);
  });

  it('a voice outcome after the reminder becomes the HubSpot note, quoting the transcript as a voice note; the confirmation says what was heard', async () => {
    w = await createVoiceWorld({ backend });
    const company = w.hub.addCompany({ name: 'Acme', domain: 'acme.example' });
    w.hub.addContact({ email: 'ann@acme.example', firstname: 'Ann', lastname: 'Lee' }, company);
    const meeting = await w.meeting();
    await scheduleFollowUp(w.app.services, meeting);
    await w.advance(meeting.end_at + MIN - w.clock.now());
    expect(w.replies()).toHaveLength(1);
    w.gemini.script({ json: { result: 'They want a pilot in March', nextSteps: [{ action: 'Set up the pilot', due: '2026-03-01' }], sentiment: 'positive' } });
    const spoken = 'Done, it went well, they want a pilot in March';
    await w.voice(spoken);

    const notes = w.hub.records('notes');
    expect(notes).toHaveLength(1);
    const body = notes[0]!.properties.hs_note_body!;
    expect(body).toContain('They want a pilot in March');
    expect(body).toContain('voice note');
    expect(body).toContain(spoken);
    const done = (await w.t.store.meetings.byId(meeting.id))!;
    expect(done).toMatchObject({ status: 'completed', last_reply: spoken });
    expect(JSON.parse(done.outcome_json!)).toMatchObject({ voice: true, reply: spoken });
    const confirmation = w.replies().at(-1)!;
    expect(confirmation.startsWith(`${en.voice.heard(spoken)}\n\n`)).toBe(true);
    expect(confirmation).toContain('Logged Quarterly review to HubSpot');
  });

  it('an image gets what rolplay reads, without a download; a voice note in Spanish-speaking hands gets Spanish replies', async () => {
    w = await createVoiceWorld({ backend, language: 'es' });
    const image = await w.voice(undefined, { contentType: 'image/jpeg', bytes: Buffer.from('not really a jpeg') });
    expect(w.twilio.mediaDownloads.get(image.mediaSid)).toBeUndefined();
    expect(w.replies()).toEqual(['Puedo leer texto y escuchar notas de voz, pero no imágenes ni documentos. Escribe tu mensaje o envía una nota de voz.']);
    await w.voice('una nota larguísima', { seconds: 181 });
    expect(w.replies().at(-1)).toBe('Esa nota de voz dura más de 3 minutos y no alcanzo a escucharla. Escríbela o manda una más corta, por favor.');
    expect(w.gemini.calls).toHaveLength(0);
    const stored = await w.t.store.db.selectFrom('messages').select(['body', 'kind']).where('direction', '=', 'in').execute();
    expect(stored).toEqual([{ body: '', kind: 'media' }, { body: '', kind: 'media' }]);
  });
});

describe('voice notes that cannot be used get one reply asking to type or resend', () => {
  it('too long, too large, gone (404), unintelligible: each answered once, the webhook acks at once', async () => {
    w = await createVoiceWorld();
    const long = await w.voice('a speech', { seconds: 181 });
    expect(long.status).toBe(200);
    expect(w.replies()).toEqual([en.voice.tooLong('3 minutes')]);

    await w.voice(undefined, { bytes: Buffer.alloc(16 * 1024 * 1024 + 1) });
    expect(w.replies().at(-1)).toBe(en.voice.couldNotFetch);

    const gone = w.twilio.addMedia({ contentType: 'audio/ogg', bytes: Buffer.alloc(10) });
    await w.post({ ...gone.params, MediaUrl0: gone.mediaUrl.replace(gone.mediaSid, `ME${'0'.repeat(32)}`), MessageSid: gone.messageSid });
    await w.advance(SETTLE_MS);
    expect(w.replies().at(-1)).toBe(en.voice.couldNotFetch);

    await w.voice(undefined);
    expect(w.replies().at(-1)).toBe(en.voice.notUnderstood);
    expect(w.gemini.calls.map((c) => c.audio.length)).toEqual([1]);
    expect(w.replies()).toHaveLength(4);
  });

  it('a MediaUrl0 on another host is refused without a single request to it', async () => {
    const { createServer } = await import('node:http');
    const hits: string[] = [];
    const other = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('x');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      w = await createVoiceWorld();
      const media = w.twilio.addMedia({ contentType: 'audio/ogg', bytes: Buffer.alloc(10) });
      const port = (other.address() as import('node:net').AddressInfo).port;
      const forged = media.mediaUrl.replace(w.twilio.url, `http://127.0.0.1:${port}`);
      const answer = await w.post({ ...media.params, MediaUrl0: forged, MessageSid: media.messageSid });
      expect(answer.status).toBe(200);
      await w.advance(SETTLE_MS);
      expect(w.replies()).toEqual([en.voice.couldNotFetch]);
      expect(hits).toEqual([]);
      expect(w.twilio.requests.filter((r) => r.path.includes('/Media/'))).toHaveLength(0);
    } finally {
      other.closeAllConnections();
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('wrong credentials (401) and a download that never finishes: answered, the stalled one after its retries', async () => {
    const { createMediaFetcher } = await import('../../src/clients/twilio/fetch-media.js');
    const { createTwilioMessenger } = await import('../../src/clients/twilio/create-twilio-messenger.js');
    const { silentLogger } = await import('../../src/support/logger.js');
    let wrongToken = false;
    w = await createVoiceWorld({
      messenger: (c) => {
        const real = createTwilioMessenger({ ...c, whatsappFrom: 'whatsapp:+14155238886', media: { timeoutMs: 150 } }, silentLogger());
        const denied = createMediaFetcher({ ...c, authToken: 'f'.repeat(32) });
        return { ...real, fetchMedia: (url) => (wrongToken ? denied(url) : real.fetchMedia(url)) };
      },
    });
    wrongToken = true;
    await w.voice('hello');
    expect(w.replies()).toEqual([en.voice.couldNotFetch]);
    wrongToken = false;

    // The webhook answers with empty TwiML at once; the download happens in the job.
    const stalled = w.twilio.addMedia({ contentType: 'audio/ogg', bytes: oggOpusFile({ transcript: 'hello again' }), stall: true });
    const ack = await w.post({ ...stalled.params, MessageSid: stalled.messageSid });
    expect([ack.status, ack.body]).toEqual([200, '<?xml version="1.0" encoding="UTF-8"?><Response/>']);
    // Each attempt times out; the job retries (fake clock), and its last attempt answers.
    await w.advance(3 * MIN);
    expect(w.replies()).toEqual([en.voice.couldNotFetch, en.voice.couldNotFetch]);
    const job = (await w.t.store.db.selectFrom('jobs').selectAll().where('kind', '=', 'handle_inbound').orderBy('id', 'desc').executeTakeFirst())!;
    expect(job).toMatchObject({ status: 'done' });
    expect(Number(job.attempts)).toBe(5);
  });
});
