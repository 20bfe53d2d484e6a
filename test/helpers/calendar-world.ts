import { Writable } from 'node:stream';
import { afterEach } from 'vitest';
import { pino } from 'pino';
import { configSchema, type ConfigInput } from '../../src/config/schema.js';
import { FakeClock } from '../../src/support/clock.js';
import type { Logger } from '../../src/support/logger.js';
import { createJobQueue } from '../../src/lifecycle/jobs/job-queue.js';
import type { Services } from '../../src/lifecycle/services.js';
import { createCalendarIngest, type CalendarIngest, type CalendarIngestOptions } from '../../src/lifecycle/calendar/ingest-calendar.js';
import { createGraphCalendarFromConfig } from '../../src/clients/graph/graph-calendar.js';
import type { CalendarSource } from '../../src/clients/graph/calendar-source.js';
import { startGraphSimulator, type GraphSim, type GraphSimOptions, type SimEventInput } from '../../src/sandbox/graph-simulator.js';
import { startMicrosoftTokenSimulator, type TokenSim } from '../../src/sandbox/microsoft-token-simulator.js';
import type { JobRow, MeetingRow, UserRow } from '../../src/store/database.js';
import { freshStore, type TestStore } from './stores.js';

/**
 * A calendar-ingest test world: fresh store, fake clock, the real Graph client (MSAL + Graph
 * SDK) against the token and Graph simulators, and the ingest use case. Logs are captured as
 * parsed JSON lines.
 */
export const BOT = 'coach-bot@example.com';
export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
export const MIN = 60_000;
export const HOUR = 60 * MIN;

export interface CalendarWorld {
  t: TestStore;
  tokens: TokenSim;
  graph: GraphSim;
  clock: FakeClock;
  services: Services & { calendar: CalendarSource };
  ingest: CalendarIngest;
  logs: Array<Record<string, unknown>>;
  user(email?: string, phone?: string): Promise<UserRow>;
  /** An invitation to the bot from `organizer`, starting `inHours` from now, 1 hour long. */
  invite(input?: Partial<SimEventInput> & { inHours?: number }): string;
  meeting(eventId: string): Promise<MeetingRow>;
  jobs(meetingId: number, kind?: string): Promise<JobRow[]>;
  clientEmails(meetingId: number): Promise<string[]>;
  close(): Promise<void>;
}

export interface CalendarWorldOptions {
  backend?: 'sqlite' | 'postgres';
  config?: ConfigInput;
  graph?: Partial<GraphSimOptions>;
  ingest?: CalendarIngestOptions;
}

export async function calendarWorld(options: CalendarWorldOptions = {}): Promise<CalendarWorld> {
  const t = await freshStore(options.backend ?? 'sqlite');
  const tokens = await startMicrosoftTokenSimulator();
  const graph = await startGraphSimulator({ botEmail: BOT, tokens, ...options.graph });
  const clock = new FakeClock(T0);
  const input = options.config ?? {};
  const config = configSchema.parse({
    ...input,
    bot: { email: BOT },
    microsoft: {
      tenantId: tokens.tenantId, clientId: tokens.clientId, clientSecret: tokens.clientSecret,
      authorityHost: tokens.url, graphBaseUrl: graph.url, internalDomains: ['example.com'], ...input.microsoft,
    },
  });
  const logs: Array<Record<string, unknown>> = [];
  const logger: Logger = pino({ level: 'debug', base: undefined }, new Writable({
    write(chunk, _enc, cb) {
      logs.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      cb();
    },
  }));
  const queue = createJobQueue(t.store, clock, config.jobs.maxAttempts);
  const calendar = createGraphCalendarFromConfig(config, logger);
  const services = { config, clock, logger, store: t.store, queue, calendar };
  const ingest = createCalendarIngest(services, options.ingest);
  let users = 0;
  return {
    t, tokens, graph, clock, services, ingest, logs,
    async user(email = 'sam.seller@example.com', phone) {
      users++;
      return (await t.store.users.upsert({ email, name: 'Sam Seller', phone: phone ?? `+1415555${String(1000 + users)}`, timezone: 'Europe/Madrid' }, clock.now())).user;
    },
    invite(input = {}) {
      const start = clock.now() + (input.inHours ?? 24) * HOUR;
      return graph.addEvent({
        subject: 'Acme renewal', organizer: 'Sam.Seller@Example.com', start, end: start + HOUR,
        attendees: [BOT, { email: 'ana@acme.example', name: 'Ana Núñez' }, 'bo@acme.example', { email: 'room-1@example.com', type: 'resource' }, 'kim@example.com'],
        ...input,
      });
    },
    async meeting(eventId) {
      const row = await t.store.meetings.byEventId(eventId);
      if (!row) throw new Error(`no meeting for event ${eventId}`);
      return row;
    },
    async jobs(meetingId, kind) {
      return (await t.store.jobs.forMeeting(meetingId)).filter((j) => kind === undefined || j.kind === kind);
    },
    async clientEmails(meetingId) {
      return (await t.store.clients.forMeeting(meetingId)).map((c) => c.email ?? '').sort();
    },
    async close() {
      await graph.close();
      await tokens.close();
      await t.dispose();
    },
  };
}

/** Everything in the tables ingestion writes, to prove a poll wrote nothing (both backends). */
export async function snapshotTables(world: CalendarWorld): Promise<string> {
  const db = world.t.store.db;
  const [meetings, clients, links, jobs, state, series] = await Promise.all([
    db.selectFrom('meetings').selectAll().orderBy('id').execute(),
    db.selectFrom('clients').selectAll().orderBy('id').execute(),
    db.selectFrom('meeting_clients').selectAll().orderBy('meeting_id').orderBy('client_id').execute(),
    db.selectFrom('jobs').selectAll().orderBy('id').execute(),
    db.selectFrom('sync_state').selectAll().orderBy('key').execute(),
    db.selectFrom('calendar_series').selectAll().orderBy('master_id').execute(),
  ]);
  return JSON.stringify({ meetings, clients, links, jobs, state, series });
}

/** Opens a world per test and closes it after the test: `const open = calendarWorlds();`. */
export function calendarWorlds(): (backend: 'sqlite' | 'postgres', options?: CalendarWorldOptions) => Promise<CalendarWorld> {
  let world: CalendarWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });
  return async (backend, options = {}) => (world = await calendarWorld({ backend, ...options }));
}
