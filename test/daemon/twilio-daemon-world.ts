import { join } from 'node:path';
import { spawnRolplay, type DaemonProcess } from '../helpers/daemon-process.js';
import { tempConfig } from '../helpers/run-cli.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { inboundWhatsAppParams, postSignedForm, signTwilioRequest, type PostResult } from '../../src/sandbox/twilio-webhook.js';
import { sendWhatsAppRequest } from '../../src/lifecycle/whatsapp/send-request.js';
import { enqueueInput } from '../../src/lifecycle/jobs/job-queue.js';
import type { JobRow } from '../../src/store/database.js';
import { freePort } from '../../src/support/free-port.js';

export const PHONE = '+14155550100';

/**
 * A `rolplay start` child process on a temp SQLite file with the Twilio simulator behind it, a
 * registered salesperson, and a webhook on a known port (so Twilio's signatures can be made).
 */
export interface TwilioDaemonWorld {
  twilio: TwilioSim;
  store: Store;
  configPath: string;
  dataDir: string;
  dbFile: string;
  webhookUrl: string;
  userId: number;
  spawn(): DaemonProcess;
  /** A durable WhatsApp send due now, as the lifecycle would queue it. */
  queueSend(key: string, body: string): Promise<JobRow>;
  /** Signed inbound message, answered as Twilio would see it (Twilio waits up to 15 s; so does this). */
  inbound(body: string, messageSid?: string): Promise<PostResult & { messageSid: string }>;
  /** The raw HTTP request for an inbound message, for writing it in pieces. */
  rawInbound(body: string): { head: string; payload: string; messageSid: string };
  close(): Promise<void>;
}

export async function createTwilioDaemonWorld(options: { leaseSeconds?: number } = {}): Promise<TwilioDaemonWorld> {
  const twilio = await startTwilioSimulator();
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const { dir, path } = tempConfig({
    server: { host: '127.0.0.1', port, publicUrl },
    twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url },
    jobs: { leaseSeconds: options.leaseSeconds ?? 5 },
  });
  const dataDir = join(dir, 'data');
  const store = await openStore({ dataDir });
  const user = (await store.users.upsert({ email: 'sam@example.com', name: 'Sam Seller', phone: PHONE, timezone: 'UTC' }, Date.now())).user;
  const webhookUrl = `${publicUrl}/whatsapp-webhook`;
  const daemons: DaemonProcess[] = [];
  return {
    twilio,
    store,
    configPath: path,
    dataDir,
    dbFile: join(dataDir, 'rolplay.db'),
    webhookUrl,
    userId: user.id,
    spawn() {
      const daemon = spawnRolplay(['start', '--config', path]);
      daemons.push(daemon);
      return daemon;
    },
    async queueSend(key, body) {
      const now = Date.now();
      return (await store.jobs.enqueue(enqueueInput(sendWhatsAppRequest({ to: PHONE, body, kind: 'plan', userId: user.id }, key), now, 8), now)).job;
    },
    async inbound(body, messageSid) {
      const params = inboundWhatsAppParams({ accountSid: twilio.accountSid, from: PHONE, body, messageSid });
      const result = await postSignedForm({ url: webhookUrl, params, authToken: twilio.authToken, timeoutMs: 15_000 });
      return { ...result, messageSid: params.MessageSid! };
    },
    rawInbound(body) {
      const params = inboundWhatsAppParams({ accountSid: twilio.accountSid, from: PHONE, body });
      const payload = new URLSearchParams(params).toString();
      const head = [
        'POST /whatsapp-webhook HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        'Content-Type: application/x-www-form-urlencoded',
        `Content-Length: ${Buffer.byteLength(payload)}`,
        `X-Twilio-Signature: ${signTwilioRequest(twilio.authToken, webhookUrl, params)}`,
        '', '',
      ].join('\r\n');
      return { head, payload, messageSid: params.MessageSid! };
    },
    async close() {
      for (const d of daemons) {
        d.kill('SIGKILL');
        await d.exited;
      }
      await store.close();
      await twilio.close();
    },
  };
}


/** Polls a condition the daemon makes true in another process (no fixed sleeps). */
export async function until<T>(probe: () => T | Promise<T>, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
