import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { configSchema } from '../config/schema.js';
import { systemClock } from '../support/clock.js';
import { silentLogger } from '../support/logger.js';
import { createGraphCalendarFromConfig } from '../clients/graph/graph-calendar.js';
import { createJobQueue } from '../lifecycle/jobs/job-queue.js';
import { createCalendarIngest } from '../lifecycle/calendar/ingest-calendar.js';
import { openStore, type Store } from '../store/open-store.js';
import { startGraphSimulator } from '../sandbox/graph-simulator.js';
import { startMicrosoftTokenSimulator } from '../sandbox/microsoft-token-simulator.js';
import type { BenchFigure } from './bench-result.js';

export interface CalendarBenchOptions {
  events?: number;
  organizers?: number;
  /** Quiet polls measured (the median is reported). */
  quietPolls?: number;
}

const SECTION = 'Calendar ingestion (issue 3)';
const BOT = 'coach-bot@bench.example';
const HOUR = 3_600_000;

/**
 * The initial sync of a 5,000-event calendar (14-day window, 50 registered organizers, two
 * clients per meeting) through the real MSAL and Graph SDKs against the loopback simulators,
 * into a fresh SQLite store: events/s and requests. Then quiet polls against it: requests
 * (goal 1), handling time, and rows written (goal 0, SQLite's total_changes()).
 */
export async function runCalendarBench(options: CalendarBenchOptions = {}): Promise<BenchFigure[]> {
  const events = options.events ?? 5000;
  const organizers = options.organizers ?? 50;
  const dir = mkdtempSync(join(tmpdir(), 'rolplay-bench-calendar-'));
  const tokens = await startMicrosoftTokenSimulator();
  const graph = await startGraphSimulator({ botEmail: BOT, tokens });
  let store: Store | undefined;
  try {
    store = await openStore({ sqlitePath: join(dir, 'rolplay.db') });
    const now = systemClock.now();
    for (let i = 0; i < organizers; i++) {
      await store.users.upsert({ email: `seller${i}@bench.example`, name: `Seller ${i}`, phone: `+1415555${String(1000 + i)}`, timezone: 'UTC' }, now);
    }
    for (let i = 0; i < events; i++) {
      // Spread over the 14-day window, business hours, one hour each.
      const start = now + HOUR + Math.floor((i / events) * 13 * 24) * HOUR;
      graph.addEvent({
        subject: `Bench meeting ${i}`, body: `Agenda for meeting ${i}`, start, end: start + HOUR,
        organizer: `seller${i % organizers}@bench.example`,
        attendees: [BOT, `client${i}@acme${i % 97}.example`, `buyer${i % 211}@acme${i % 97}.example`, { email: 'room-a@bench.example', type: 'resource' }],
      });
    }
    const config = configSchema.parse({
      bot: { email: BOT },
      microsoft: { tenantId: tokens.tenantId, clientId: tokens.clientId, clientSecret: tokens.clientSecret, authorityHost: tokens.url, graphBaseUrl: graph.url, internalDomains: ['bench.example'] },
    });
    const logger = silentLogger();
    const calendar = createGraphCalendarFromConfig(config, logger);
    const services = { config, clock: systemClock, logger, store, queue: createJobQueue(store, systemClock, config.jobs.maxAttempts), calendar };
    const ingest = createCalendarIngest(services);

    const t0 = performance.now();
    const full = await ingest.poll();
    const fullMs = performance.now() - t0;
    const stored = (await store.meetings.list({ limit: events + 1 })).length;

    const quiet: Array<{ ms: number; requests: number; rows: number }> = [];
    for (let i = 0; i < (options.quietPolls ?? 5); i++) {
      const before = await totalChanges(store);
      const q0 = performance.now();
      const summary = await ingest.poll();
      quiet.push({ ms: performance.now() - q0, requests: summary.requests, rows: (await totalChanges(store)) - before });
    }
    quiet.sort((a, b) => a.ms - b.ms);
    const median = quiet[Math.floor(quiet.length / 2)]!;
    return [
      { section: SECTION, name: `initial sync, ${events.toLocaleString('en-US')} events`, value: fullMs / 1000, unit: 's' },
      { section: SECTION, name: 'initial sync throughput', value: Math.round(events / (fullMs / 1000)), unit: 'events/s' },
      { section: SECTION, name: 'initial sync requests to Graph', value: full.requests, unit: 'requests' },
      { section: SECTION, name: 'meetings stored', value: stored, unit: `of ${events}`, goal: `== ${events}` },
      { section: SECTION, name: 'quiet poll requests (worst of runs)', value: Math.max(...quiet.map((q) => q.requests)), unit: 'requests', goal: '== 1' },
      { section: SECTION, name: 'quiet poll handling (median)', value: median.ms, unit: 'ms' },
      { section: SECTION, name: 'quiet poll rows written (worst of runs)', value: Math.max(...quiet.map((q) => q.rows)), unit: 'rows', goal: '== 0' },
    ];
  } finally {
    await store?.close();
    await graph.close();
    await tokens.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rows inserted, updated or deleted on this SQLite connection since it opened. */
async function totalChanges(store: Store): Promise<number> {
  const { rows } = await sql<{ n: number }>`select total_changes() as n`.execute(store.db);
  return Number(rows[0]?.n ?? 0);
}
