import { afterEach, describe, expect, it } from 'vitest';
import { backends } from '../helpers/stores.js';
import { walkMp3 } from '../helpers/mp3-frames.js';
import { createVoiceWorld, type VoiceWorld } from '../helpers/voice-world.js';

let w: VoiceWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/**
 * Issue 14's two voice halves together, with nothing stood in: a role-play answer sent as a real
 * voice note (signed webhook, media downloaded from the Twilio simulator, transcribed by the
 * Gemini simulator) is answered by the role-played client as a voice note, which the Twilio
 * simulator fetches from the daemon's own /media route, as Twilio fetches a MediaUrl.
 */
describe.each(backends)('a spoken role-play, both ways (%s)', (backend) => {
  it('a voice answer in a role-play gets the client\'s in-character reply as a voice note fetched from /media', async () => {
    w = await createVoiceWorld({ backend, voiceReplies: 'roleplay' });
    await w.meeting();
    await w.text('roleplay');
    const opener = w.twilio.sentTo('+14155550100').at(-1)!;
    // The opening is a command's answer: text, never spoken.
    expect(opener.numMedia).toBe(0);

    w.gemini.script({ text: 'Frankly, the price of the add-on worries me.' });
    await w.voice('Hi Ann, what would make this renewal a success for you?');
    const reply = w.twilio.sentTo('+14155550100').at(-1)!;
    expect(reply.body).toBe('Frankly, the price of the add-on worries me.');
    expect(reply.numMedia).toBe(1);
    expect(reply.mediaUrls![0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/[A-Za-z0-9_-]{24}$/);
    await w.twilio.mediaFetched();
    expect(reply.media).toEqual([expect.objectContaining({ status: 200, contentType: 'audio/mpeg' })]);
    const clip = new Uint8Array(await (await fetch(reply.mediaUrls![0]!)).arrayBuffer());
    expect(walkMp3(clip).frames).toBeGreaterThan(0);
    // The transcript, not the audio, is what the model played the client from.
    const turn = w.gemini.calls.filter((c) => /^ROLE-PLAY/.test(c.system ?? '')).at(-1)!;
    expect(turn.contents.at(-1)!.text).toContain('what would make this renewal a success for you?');

    // A typed answer in the same role-play gets text.
    w.gemini.script({ text: 'Maybe, if the rollout is quick.' });
    await w.text('We can have it live in two weeks.');
    expect(w.twilio.sentTo('+14155550100').at(-1)).toMatchObject({ body: 'Maybe, if the rollout is quick.', numMedia: 0 });
  });
});
