import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioMessenger } from '../../src/clients/twilio/create-twilio-messenger.js';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { silentLogger } from '../../src/support/logger.js';

const SAM = '+14155550100';
let twilio: TwilioSim;
let media: Server;
let base: string;
const requests: string[] = [];

beforeEach(async () => {
  twilio = await startTwilioSimulator();
  requests.length = 0;
  media = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.url === '/media/ok.mp3') {
      res.writeHead(200, { 'Content-Type': 'audio/mpeg', 'Content-Length': 5 });
      return void res.end(req.method === 'HEAD' ? undefined : Buffer.from([0xff, 0xf3, 1, 2, 3]));
    }
    if (req.url === '/media/page.html') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      return void res.end('<html></html>');
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await twilio.close();
  await new Promise((resolve) => media.close(resolve));
});

const messenger = () => createTwilioMessenger({ accountSid: twilio.accountSid, authToken: twilio.authToken, whatsappFrom: 'whatsapp:+14155238886', apiBaseUrl: twilio.url }, silentLogger());

describe('Twilio simulator: outbound media', () => {
  it('takes MediaUrl with the body, fetches it with HEAD then GET from its side, and delivers it', async () => {
    await messenger().send({ to: SAM, body: 'Fine, send me the numbers.', mediaUrl: `${base}/media/ok.mp3` });
    await twilio.mediaFetched();
    const [message] = twilio.sentTo(SAM);
    expect(message).toMatchObject({ body: 'Fine, send me the numbers.', numMedia: 1, mediaUrls: [`${base}/media/ok.mp3`] });
    expect(message!.media).toEqual([{ url: `${base}/media/ok.mp3`, status: 200, contentType: 'audio/mpeg', size: 5, headStatus: 200 }]);
    expect(requests).toEqual(['HEAD /media/ok.mp3', 'GET /media/ok.mp3']);
    const fetched = await fetch(`${twilio.url}/2010-04-01/Accounts/${twilio.accountSid}/Messages/${message!.sid}.json`, {
      headers: { Authorization: `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}` },
    });
    expect((await fetched.json()).num_media).toBe('1');
    await twilio.settle();
    expect(message!.status).toBe('delivered');
  });

  it('fails the message afterwards with 63019 when the media cannot be fetched, and 63021 for a type WhatsApp refuses', async () => {
    await messenger().send({ to: SAM, body: 'gone', mediaUrl: `${base}/media/expired` });
    await messenger().send({ to: SAM, body: 'html', mediaUrl: `${base}/media/page.html` });
    await messenger().send({ to: SAM, body: 'nobody there', mediaUrl: 'http://127.0.0.1:9/media/x' });
    await twilio.settle();
    const [gone, html, unreachable] = twilio.sentTo(SAM);
    expect(gone).toMatchObject({ status: 'failed', errorCode: 63019 });
    expect(gone!.media![0]).toMatchObject({ status: 404, size: 0 });
    expect(html).toMatchObject({ status: 'failed', errorCode: 63021 });
    expect(unreachable).toMatchObject({ status: 'failed', errorCode: 63019 });
    expect(typeof unreachable!.media![0]!.status).toBe('string');
  });
});
