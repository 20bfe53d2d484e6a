import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WEBHOOK_PATH } from '../../src/daemon/http/twilio-routes.js';
import { REPLY_HINT } from '../../src/domain/follow-up-text.js';
import { seeded, type Fault } from '../../src/sandbox/http-sim.js';
import { startGeminiSimulator, type GeminiSim } from '../../src/sandbox/gemini-simulator.js';
import { startGraphSimulator, type GraphSim } from '../../src/sandbox/graph-simulator.js';
import { startHubspotSimulator, type HubspotSim } from '../../src/sandbox/hubspot-simulator.js';
import { startMicrosoftTokenSimulator, type TokenSim } from '../../src/sandbox/microsoft-token-simulator.js';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { sendInboundWhatsApp } from '../../src/sandbox/twilio-webhook.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { spawnRolplay, type DaemonProcess } from './daemon-process.js';
import { tempConfig } from './run-cli.js';
import { freePort } from '../../src/support/free-port.js';

/**
 * Many whole meeting lifecycles run by real `rolplay start` child processes against the five
 * simulators: the calendar invitation, the plan, the reminder at the meeting's end, the
 * salesperson's signed WhatsApp answer (sent by a responder in the test process, redelivered
 * with the same MessageSid until a daemon acknowledges it, as Twilio does) and the HubSpot
 * note. The crash, fault and multi-daemon tests differ only in what they do to the daemons.
 */
export const BOT = 'coach-bot@seller.example';
const PUBLIC_URL = 'https://coach.seller.example';

export interface LifecycleWorldOptions {
  meetings: number;
  /** PostgreSQL URL of a throw-away database; default a SQLite file in a temp folder. */
  databaseUrl?: string;
  /** How many daemons (each with its own port) the world has room for. */
  daemons?: number;
  /** First meeting starts this long after the world is made (ms); the rest follow `spacingMs` apart. */
  firstStartInMs?: number;
  spacingMs?: number;
  durationMs?: number;
  /** Share of requests to every simulator that get a fault, and which kinds. */
  faults?: { rate: number; kinds: Fault[]; seed: number; slowMs?: number };
  /** Every simulator answers after a random round trip in this range (ms), after acting. */
  latencyMs?: [number, number];
  /** Extra config merged over the world's (e.g. jobs, gemini.timeoutSeconds). */
  config?: Record<string, Record<string, unknown>>;
}

export interface Lifecycle {
  index: number;
  phone: string;
  email: string;
  clientEmail: string;
  contactId: string;
  eventId: string;
  /** Fixed per salesperson: every redelivery of the answer carries it. */
  answerSid: string;
}

export interface LifecycleWorld {
  tokens: TokenSim;
  graph: GraphSim;
  gemini: GeminiSim;
  twilio: TwilioSim;
  hubspot: HubspotSim;
  /** The test's own connection to the daemons' store (for reading). */
  store: Store;
  lifecycles: Lifecycle[];
  configPath: string;
  ports: number[];
  /** Starts daemon `i` (port `ports[i]`); close() kills whatever is still running. */
  spawn(i: number): DaemonProcess;
  /** Answers each reminder once acknowledged; posts to the daemons `targets()` names. */
  startResponder(targets: () => number[], options?: { duplicateTo?: () => number[] }): { stop(): void; acked: Set<number> };
  /** Meetings by status. */
  statuses(): Promise<Record<string, number>>;
  waitForAllCompleted(timeoutMs: number, onTick?: () => Promise<void> | void): Promise<void>;
  /** Writes daemon log lines next to the store (kept after the test) and returns the file. */
  saveLogs(name: string, lines: string[]): string;
  /** Everything that breaks "exactly once": an empty list when the run was clean. */
  problems(): Promise<string[]>;
  close(): Promise<void>;
}

export async function createLifecycleWorld(options: LifecycleWorldOptions): Promise<LifecycleWorld> {
  const cleanup: Array<() => Promise<unknown> | unknown> = [];
  const faults = options.faults ? { rate: options.faults.rate, kinds: options.faults.kinds, seed: options.faults.seed, slowMs: options.faults.slowMs, retryAfterSeconds: 1 } : undefined;
  const tokens = await startMicrosoftTokenSimulator();
  cleanup.push(() => tokens.close());
  const graph = await startGraphSimulator({ botEmail: BOT, tokens });
  cleanup.push(() => graph.close());
  const gemini = await startGeminiSimulator();
  cleanup.push(() => gemini.close());
  const twilio = await startTwilioSimulator();
  cleanup.push(() => twilio.close());
  const hubspot = await startHubspotSimulator();
  cleanup.push(() => hubspot.close());
  for (const [i, sim] of [tokens.sim, graph.sim, gemini.sim, twilio, hubspot.sim].entries()) {
    if (faults) sim.setFaults({ ...faults, seed: faults.seed + i });
    if (options.latencyMs) sim.setLatency(options.latencyMs);
  }

  const ports = await Promise.all(Array.from({ length: options.daemons ?? 1 }, () => freePort()));
  const { dir, path: configPath } = tempConfig({
    bot: { email: BOT },
    ...(options.databaseUrl ? { database: { url: options.databaseUrl } } : {}),
    server: { host: '127.0.0.1', port: ports[0], publicUrl: PUBLIC_URL },
    microsoft: {
      tenantId: tokens.tenantId, clientId: tokens.clientId, clientSecret: tokens.clientSecret,
      authorityHost: tokens.url, graphBaseUrl: graph.url, pollSeconds: 1, internalDomains: ['seller.example'],
      ...options.config?.microsoft,
    },
    twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url, ...options.config?.twilio },
    hubspot: { accessToken: hubspot.token, basePath: hubspot.url, ...options.config?.hubspot },
    gemini: { apiKey: gemini.apiKey, baseUrl: gemini.url, ...options.config?.gemini },
    schedule: { planLeadHours: 0, reminderDelayMinutes: 0, nudgeAfterHours: 4 },
    jobs: { leaseSeconds: 5, ...options.config?.jobs },
    ...(options.config?.conversation ? { conversation: options.config.conversation } : {}),
  });
  const store = await openStore(options.databaseUrl ? { databaseUrl: options.databaseUrl } : { dataDir: join(dir, 'data') });
  cleanup.push(() => store.close());

  const first = Date.now() + (options.firstStartInMs ?? 8000);
  const spacing = options.spacingMs ?? 200;
  const duration = options.durationMs ?? 2000;
  const lifecycles: Lifecycle[] = [];
  for (let index = 0; index < options.meetings; index++) {
    const n = String(index).padStart(3, '0');
    const phone = `+1415555${String(index).padStart(4, '0')}`;
    const email = `seller${n}@seller.example`;
    const clientEmail = `buyer${n}@client${index % 7}.example`;
    await store.users.upsert({ email, name: `Seller ${n}`, phone, timezone: 'UTC' }, Date.now());
    const company = hubspot.addCompany({ name: `Client ${index % 7}`, domain: `client${index % 7}.example` });
    const contactId = hubspot.addContact({ email: clientEmail, firstname: 'Buyer', lastname: n }, company);
    const start = first + index * spacing;
    const eventId = graph.addEvent({ subject: `Deal ${n}`, organizer: email, start, end: start + duration, attendees: [BOT, clientEmail] });
    lifecycles.push({ index, phone, email, clientEmail, contactId, eventId, answerSid: `SM${(0xabc000 + index).toString(16).padStart(32, '0')}` });
  }
  const byPhone = new Map(lifecycles.map((l) => [`whatsapp:${l.phone}`, l]));

  const env = { ROLPLAY_LOG_LEVEL: 'info' };
  const spawn = (i: number) => {
    const daemon = spawnRolplay(['start', '--config', configPath], { ...env, ROLPLAY_SERVER_PORT: String(ports[i]) });
    cleanup.push(async () => {
      daemon.kill('SIGCONT');
      daemon.kill('SIGKILL');
      await daemon.exited;
    });
    return daemon;
  };

  const isReminder = (body: string) => body.endsWith(REPLY_HINT) && !body.startsWith('Still keen');
  return {
    tokens, graph, gemini, twilio, hubspot, store, lifecycles, configPath, ports, spawn,
    startResponder(targets, responderOptions = {}) {
      const acked = new Set<number>();
      const random = seeded(7);
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        void (async () => {
          const due = new Set<Lifecycle>();
          for (const m of twilio.messages) {
            const l = byPhone.get(m.to);
            if (l && !acked.has(l.index) && isReminder(m.body)) due.add(l);
          }
          const live = targets();
          if (live.length === 0) return;
          await Promise.all([...due].map(async (l) => {
            const port = ports[live[Math.floor(random() * live.length)]!]!;
            const copies = [port, ...(responderOptions.duplicateTo?.() ?? []).map((i) => ports[i]!)];
            const answers = await Promise.all(copies.map((p) => sendInboundWhatsApp({
              url: `http://127.0.0.1:${p}${WEBHOOK_PATH}`, publicUrl: `${PUBLIC_URL}${WEBHOOK_PATH}`,
              authToken: twilio.authToken, accountSid: twilio.accountSid, from: l.phone,
              body: `Done - deal ${l.index} agreed a pilot`, messageSid: l.answerSid,
            }).then((r) => r.status, () => 0)));
            if (answers.includes(200)) acked.add(l.index);
          }));
        })().finally(() => { busy = false; });
      }, 150);
      cleanup.push(() => clearInterval(timer));
      return { stop: () => clearInterval(timer), acked };
    },
    saveLogs(name, lines) {
      const file = join(dir, `${name}-daemon.log`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      return file;
    },
    async statuses() {
      const rows = await store.db.selectFrom('meetings').select(['status']).execute();
      const out: Record<string, number> = {};
      for (const r of rows) out[r.status] = (out[r.status] ?? 0) + 1;
      return out;
    },
    async waitForAllCompleted(timeoutMs, onTick) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const counts = await this.statuses();
        // A send interrupted by a kill may still be waiting to learn whether Twilio has it (see
        // send-whatsapp.ts): the run is over when nothing is left to send either.
        const sending = await store.db.selectFrom('jobs').select('id').where('kind', '=', 'send_whatsapp').where('status', 'in', ['pending', 'running']).execute();
        if ((counts.completed ?? 0) === lifecycles.length && sending.length === 0) return;
        if (Date.now() > deadline) throw new Error(`not every lifecycle completed within ${timeoutMs} ms: ${JSON.stringify(counts)}, ${sending.length} WhatsApp sends still queued`);
        await onTick?.();
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async problems() {
      const out: string[] = [];
      const meetings = await store.db.selectFrom('meetings').select(['id', 'event_id', 'status', 'hubspot_note_id']).execute();
      if (meetings.length !== lifecycles.length) out.push(`${meetings.length} meetings stored for ${lifecycles.length} events`);
      const seen = new Map<string, number>();
      for (const m of twilio.messages) {
        const key = `${m.to}\n${m.body}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      for (const [key, count] of seen) if (count > 1) out.push(`sent ${count} times: ${key.replace('\n', ' ').slice(0, 120)}`);
      const notes = hubspot.records('notes');
      for (const l of lifecycles) {
        const meeting = meetings.find((m) => m.event_id === l.eventId);
        if (!meeting) { out.push(`deal ${l.index}: no meeting`); continue; }
        if (meeting.status !== 'completed') out.push(`deal ${l.index}: ${meeting.status}`);
        const sent = twilio.sentTo(l.phone).map((m) => m.body);
        const plans = sent.filter((b) => b.includes('Here is your plan')).length;
        const reminders = sent.filter(isReminder).length;
        if (plans !== 1) out.push(`deal ${l.index}: ${plans} plans`);
        if (reminders !== 1) out.push(`deal ${l.index}: ${reminders} reminders`);
        const mine = notes.filter((n) => hubspot.associationsOf('notes', n.id).some((a) => a.toType === 'contacts' && a.toId === l.contactId));
        if (mine.length !== 1) out.push(`deal ${l.index}: ${mine.length} HubSpot notes`);
        else if (meeting.hubspot_note_id !== mine[0]!.id) out.push(`deal ${l.index}: stored note ${meeting.hubspot_note_id} is not ${mine[0]!.id}`);
      }
      if (notes.length !== lifecycles.length) out.push(`${notes.length} HubSpot notes for ${lifecycles.length} meetings`);
      return out;
    },
    async close() {
      for (const fn of cleanup.reverse()) await Promise.resolve().then(fn).catch(() => undefined);
    },
  };
}

