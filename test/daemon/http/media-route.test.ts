import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpListener, type HttpListener } from '../../../src/daemon/http/http-listener.js';
import { mediaRoute } from '../../../src/daemon/http/media-route.js';
import { FakeClock } from '../../../src/support/clock.js';
import { silentLogger } from '../../../src/support/logger.js';
import { VOICE_MEDIA_TTL_MS } from '../../../src/lifecycle/whatsapp/voice-reply.js';
import { backends, freshStore, type TestStore } from '../../helpers/stores.js';

const ID = 'Zm9vYmFyYmF6cXV4MTIzNDU2'; // 24 URL-safe characters, as voice-reply.ts issues them
const BYTES = new Uint8Array([0xff, 0xf3, 0x84, 0xc4, 0, 1, 2, 3, 4, 5]);

describe.each(backends)('GET /media/<id> (%s)', (backend) => {
  let t: TestStore;
  let clock: FakeClock;
  let listener: HttpListener;
  let url: string;
  const seen: Array<{ route: string; status: string }> = [];

  beforeEach(async () => {
    t = await freshStore(backend);
    clock = new FakeClock();
    listener = createHttpListener({
      host: '127.0.0.1', port: 0,
      routes: [mediaRoute({ find: (id) => t.store.voiceMedia.get(id, clock.now()) })],
      health: async () => ({ ok: true }), logger: silentLogger(),
      metrics: { httpRequest: (e) => seen.push(e) },
    });
    await listener.start();
    url = listener.url();
    await t.store.voiceMedia.add({ id: ID, contentType: 'audio/mpeg', bytes: BYTES, expiresAt: clock.now() + VOICE_MEDIA_TTL_MS }, clock.now());
  });
  afterEach(async () => {
    await listener.stop();
    await t.dispose();
  });

  it('serves an issued clip with its type and length, to GET and HEAD (Twilio sends both)', async () => {
    const res = await fetch(`${url}/media/${ID}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    expect(res.headers.get('content-length')).toBe(String(BYTES.length));
    expect(res.headers.get('content-disposition')).toBe('inline; filename="reply.mp3"');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(BYTES);
    const head = await fetch(`${url}/media/${ID}?x=1`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(BYTES.length));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    // The metrics label is the route, never the id.
    expect(seen.at(-1)).toEqual({ route: '/media/', status: '200' });
  });

  it('answers 404 for an unknown id, a malformed one, and the folder itself: nothing is listed', async () => {
    for (const path of ['/media/AAAAAAAAAAAAAAAAAAAAAAAA', '/media/short', `/media/${ID}/x`, '/media/', '/media', `/media/${ID.toLowerCase()}`]) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toBe('not found');
    }
    expect((await fetch(`${url}/media/${ID}`, { method: 'POST' })).status).toBe(405);
  });

  it('stops serving a clip when it expires, and a renewal serves it again until it is deleted', async () => {
    await clock.advance(VOICE_MEDIA_TTL_MS);
    expect((await fetch(`${url}/media/${ID}`)).status).toBe(404);
    expect(await t.store.voiceMedia.renew(ID, clock.now() + 60_000)).toBe(true);
    expect((await fetch(`${url}/media/${ID}`)).status).toBe(200);
    await clock.advance(60_000);
    // The next clip added deletes the expired ones: renewing is then too late.
    await t.store.voiceMedia.add({ id: 'bmV3LWNsaXAtMTIzNDU2Nzg5', contentType: 'audio/mpeg', bytes: BYTES, expiresAt: clock.now() + 1000 }, clock.now());
    expect(await t.store.voiceMedia.renew(ID, clock.now() + 60_000)).toBe(false);
    expect((await fetch(`${url}/media/${ID}`)).status).toBe(404);
    expect((await fetch(`${url}/media/bmV3LWNsaXAtMTIzNDU2Nzg5`)).status).toBe(200);
  });
});
