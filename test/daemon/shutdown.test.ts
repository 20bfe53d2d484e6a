import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DaemonProcess } from '../helpers/daemon-process.js';
import { PHONE, createTwilioDaemonWorld, until, type TwilioDaemonWorld } from './twilio-daemon-world.js';

let world: TwilioDaemonWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Sends SIGTERM and measures how long the process takes to exit. */
async function terminate(daemon: DaemonProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | string; ms: number }> {
  const t0 = performance.now();
  daemon.kill(signal);
  const code = await daemon.exited;
  return { code, ms: performance.now() - t0 };
}

/**
 * On one keep-alive connection: a health check (so the daemon has surely accepted the
 * connection), then a webhook request's head and the first half of its body.
 */
async function halfSent(url: string, head: string, payload: string) {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk) => { answer += chunk.toString('utf8'); });
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(answer)));
  socket.write(`GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  await until(() => /\r\n\r\n\{.*\}$/s.test(answer), 5000, 'the health answer');
  answer = '';
  const cut = Math.floor(payload.length / 2);
  socket.write(head + payload.slice(0, cut));
  return { finish: () => socket.end(payload.slice(cut)), closed };
}

/**
 * Issue 7, "Shutdown": `rolplay start` (the built CLI) gets SIGTERM while a WhatsApp send is
 * waiting on a slow Twilio and a webhook request is half received.
 */
describe('rolplay start on SIGTERM', () => {
  it('finishes the in-flight send and webhook, claims nothing new, and exits 0 well within 5 s', async () => {
    world = await createTwilioDaemonWorld();
    const job = await world.queueSend('shutdown:drain', 'Your plan for tomorrow');
    world.twilio.setLatency([1500, 1500]);
    const daemon = world.spawn();
    await daemon.waitFor((e) => e.msg === 'rolplay started');
    const twilio = world.twilio;
    // Twilio has the message; its answer takes 1.5 s more.
    await until(() => twilio.messages.length === 1, 10_000, 'the send to reach Twilio');
    const { head, payload, messageSid } = world.rawInbound('help');
    const webhook = await halfSent(world.webhookUrl, head, payload);

    const exit = terminate(daemon);
    await daemon.waitFor((e) => e.msg === 'shutting down: finishing in-flight work');
    // New connections are refused at once...
    await expect(fetch(`${world.webhookUrl.replace('/whatsapp-webhook', '/health')}`)).rejects.toThrow();
    // ...while the request already in progress gets its answer.
    webhook.finish();
    const answer = await webhook.closed;
    const { code, ms } = await exit;
    console.log(`SIGTERM with a send and a webhook in flight: exit ${code} after ${Math.round(ms)} ms`);

    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toMatch(/connection: close/i);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
    expect(daemon.lines.some((l) => l.includes('"rolplay stopped"'))).toBe(true);
    // The send finished once and was recorded.
    expect(twilio.sentTo(PHONE)).toHaveLength(1);
    const done = (await world.store.jobs.byId(job.id))!;
    expect(done.status).toBe('done');
    expect(JSON.parse(done.result!)).toEqual({ sids: [twilio.messages[0]!.sid] });
    // The acknowledged message is in the store, not started: the next start handles it.
    expect(await world.store.jobs.byDedupeKey(`inbound:${messageSid}`)).toMatchObject({ status: 'pending', attempts: 0 });
  }, 25_000);

  it('exits within 5 s when a send outlasts the grace time; the restart completes it without sending twice', async () => {
    world = await createTwilioDaemonWorld({ leaseSeconds: 5 });
    const job = await world.queueSend('shutdown:slow', 'Your plan for Friday');
    // Twilio takes the message at once but answers only after 8 s, past the grace time.
    world.twilio.setLatency([8000, 8000]);
    const first = world.spawn();
    const twilio = world.twilio;
    await until(() => twilio.messages.length === 1, 10_000, 'the send to reach Twilio');
    const { code, ms } = await terminate(first);
    console.log(`SIGTERM with an 8 s send in flight: exit ${code} after ${Math.round(ms)} ms`);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
    expect(first.lines.some((l) => l.includes('did not finish in time'))).toBe(true);
    expect(first.lines.some((l) => l.includes('"rolplay stopped"'))).toBe(true);
    // Left claimed with its progress: "part 0 was being sent".
    const left = (await world.store.jobs.byId(job.id))!;
    expect(left.status).toBe('running');
    expect(JSON.parse(left.result!)).toMatchObject({ sending: 0 });

    twilio.setLatency(null);
    const second = world.spawn();
    const done = await until(async () => {
      const row = await world!.store.jobs.byId(job.id);
      return row?.status === 'done' ? row : undefined;
    }, 15_000, 'the restarted daemon to complete the send');
    expect(twilio.sentTo(PHONE)).toHaveLength(1);
    expect(JSON.parse(done.result!)).toEqual({ sids: [twilio.messages[0]!.sid] });
    expect(second.lines.some((l) => l.includes('an earlier attempt had already sent this part'))).toBe(true);
    const out = await world.store.db.selectFrom('messages').selectAll().where('direction', '=', 'out').execute();
    expect(out.map((m) => m.twilio_sid)).toEqual([twilio.messages[0]!.sid]);
    expect((await terminate(second)).code).toBe(0);
  }, 30_000);

  it('a second SIGTERM during the drain exits at once', async () => {
    world = await createTwilioDaemonWorld();
    await world.queueSend('shutdown:twice', 'Your plan for Monday');
    world.twilio.setLatency([8000, 8000]);
    const daemon = world.spawn();
    const twilio = world.twilio;
    await until(() => twilio.messages.length === 1, 10_000, 'the send to reach Twilio');
    daemon.kill('SIGTERM');
    await daemon.waitFor((e) => e.msg === 'shutting down: finishing in-flight work');
    const { code, ms } = await terminate(daemon);
    console.log(`second SIGTERM during the drain: exit ${code} after ${Math.round(ms)} ms`);
    expect(code).toBe(143);
    expect(ms).toBeLessThan(1000);
    expect(daemon.lines.some((l) => l.includes('second signal: exiting now'))).toBe(true);
  }, 20_000);
});
