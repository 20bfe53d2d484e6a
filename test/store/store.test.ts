import { afterEach, describe, expect, it } from 'vitest';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';
import { migrateToLatest, openStore } from '../../src/store/open-store.js';
import { StoreError } from '../../src/support/errors.js';
import { mkdtempSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

describe.each(backends)('store on %s', (backend) => {
  let t: TestStore;
  afterEach(async () => {
    await t?.dispose();
  });

  it('runs migrations idempotently', async () => {
    t = await freshStore(backend);
    expect(await migrateToLatest(t.store.db, t.store.dialect)).toEqual([]);
  });

  it('upserts users by lower-cased email and keeps phones unique', async () => {
    t = await freshStore(backend);
    const a = await t.store.users.upsert({ email: 'Sara@Company.com', name: 'Sara', phone: '+14155552671', timezone: 'UTC' }, T0);
    expect(a.created).toBe(true);
    expect(a.user.email).toBe('sara@company.com');
    const b = await t.store.users.upsert({ email: 'sara@company.COM', name: 'Sara Lopez', phone: '+14155552671', timezone: 'Europe/Madrid' }, T0 + 1);
    expect(b.created).toBe(false);
    expect(b.user.id).toBe(a.user.id);
    expect(b.user.name).toBe('Sara Lopez');
    expect(b.user.created_at).toBe(T0);
    await expect(t.store.users.upsert({ email: 'other@company.com', name: 'O', phone: '+14155552671', timezone: 'UTC' }, T0)).rejects.toThrow();
    expect(await t.store.users.count()).toBe(1);
    expect((await t.store.users.byPhone('+14155552671'))?.id).toBe(a.user.id);
    await t.store.users.upsert({ email: 'mx@company.com', name: 'MX', phone: '+525512345678', timezone: 'America/Mexico_City' }, T0);
    expect((await t.store.users.byPhone('+5215512345678'))?.email).toBe('mx@company.com');
    expect(await t.store.users.remove('SARA@company.com')).toBe(true);
    expect((await t.store.users.list()).map((u) => u.email)).toEqual(['mx@company.com']);
  });

  it('stores 64-bit millisecond times as numbers', async () => {
    t = await freshStore(backend);
    const { job } = await t.store.jobs.enqueue({ kind: 'k', lane: 'k', runAt: T0, dedupeKey: 'd', maxAttempts: 3 }, T0);
    expect(typeof job.run_at).toBe('number');
    expect(job.run_at).toBe(T0);
  });

  it('dedupes inbound messages on the Twilio SID', async () => {
    t = await freshStore(backend);
    const input = { direction: 'in' as const, userId: null, meetingId: null, phone: '+14155552671', body: 'hi', twilioSid: 'SM1', kind: 'inbound' };
    expect(await t.store.messages.record(input, T0)).toBeDefined();
    expect(await t.store.messages.record(input, T0)).toBeUndefined();
    const both = await Promise.all([t.store.messages.record({ ...input, twilioSid: 'SM2' }, T0), t.store.messages.record({ ...input, twilioSid: 'SM2' }, T0)]);
    expect(both.filter(Boolean)).toHaveLength(1);
  });

  it('enqueues once per dedupe key and claims atomically', async () => {
    t = await freshStore(backend);
    const first = await t.store.jobs.enqueue({ kind: 'k', lane: 'k', runAt: T0, dedupeKey: 'same', maxAttempts: 3 }, T0);
    const second = await t.store.jobs.enqueue({ kind: 'k', lane: 'k', runAt: T0 + 999, dedupeKey: 'same', maxAttempts: 3 }, T0);
    expect(second.created).toBe(false);
    expect(second.job.id).toBe(first.job.id);
    for (let i = 0; i < 20; i++) await t.store.jobs.enqueue({ kind: 'k', lane: 'k', runAt: T0, dedupeKey: `j${i}`, maxAttempts: 3 }, T0);
    const claims = await Promise.all([1, 2, 3].map((n) => t.store.jobs.claimDue({ owner: `w${n}`, now: T0, leaseMs: 1000, lane: 'k', limit: 10 })));
    const ids = claims.flat().map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(21);
  });

  it('fences writes on the lease owner and re-claims expired leases', async () => {
    t = await freshStore(backend);
    await t.store.jobs.enqueue({ kind: 'k', lane: 'k', runAt: T0, dedupeKey: 'x', maxAttempts: 3 }, T0);
    const [job] = await t.store.jobs.claimDue({ owner: 'a', now: T0, leaseMs: 1000, lane: 'k', limit: 1 });
    expect(await t.store.jobs.claimDue({ owner: 'b', now: T0 + 999, leaseMs: 1000, lane: 'k', limit: 1 })).toEqual([]);
    const [again] = await t.store.jobs.claimDue({ owner: 'b', now: T0 + 1001, leaseMs: 1000, lane: 'k', limit: 1 });
    expect(again!.id).toBe(job!.id);
    expect(again!.attempts).toBe(2);
    expect(await t.store.jobs.complete(job!.id, 'a', { late: true }, T0 + 1100)).toBe(false);
    expect(await t.store.jobs.complete(job!.id, 'b', { ok: true }, T0 + 1100)).toBe(true);
    expect((await t.store.jobs.byId(job!.id))!.status).toBe('done');
  });

  it('moves, cancels and revives a meeting\'s pending jobs', async () => {
    t = await freshStore(backend);
    const m = await t.store.meetings.insert({ event_id: 'e1', source: 'graph', title: 'Demo', start_at: T0, end_at: T0 + 3600_000, organizer_email: 'a@b.c', user_id: null, status: 'scheduled', created_at: T0, updated_at: T0 });
    await t.store.jobs.enqueue({ kind: 'send_reminder', lane: 'send_reminder', runAt: T0 + 3660_000, dedupeKey: 'r1', meetingId: m.id, maxAttempts: 3 }, T0);
    expect(await t.store.jobs.rescheduleForMeeting(m.id, 'send_reminder', T0 + 7260_000, T0)).toBe(1);
    expect(await t.store.jobs.nextWakeAt()).toBe(T0 + 7260_000);
    expect(await t.store.jobs.cancelForMeeting(m.id, T0)).toBe(1);
    expect(await t.store.jobs.nextWakeAt()).toBeUndefined();
    expect(await t.store.jobs.reviveForMeeting(m.id, 'send_reminder', T0 + 1, T0)).toBe(1);
    expect((await t.store.jobs.forMeeting(m.id))[0]!.status).toBe('pending');
  });

  it('compare-and-sets meeting status', async () => {
    t = await freshStore(backend);
    const m = await t.store.meetings.insert({ event_id: 'e2', source: 'graph', title: 'Demo', start_at: T0, end_at: T0 + 1, organizer_email: 'a@b.c', user_id: null, status: 'scheduled', created_at: T0, updated_at: T0 });
    const results = await Promise.all([
      t.store.meetings.transition(m.id, ['scheduled'], 'plan_sent', T0),
      t.store.meetings.transition(m.id, ['scheduled'], 'plan_sent', T0),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await t.store.meetings.transition(m.id, ['scheduled'], 'cancelled', T0)).toBeUndefined();
  });
});

describe('SQLite file', () => {
  it('is created owner-only in the data directory', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rolplay-data-')), 'nested', 'data');
    const store = await openStore({ dataDir: dir });
    await store.close();
    expect(statSync(join(dir, 'rolplay.db')).mode & 0o777).toBe(0o600);
  });

  it('reports an unwritable data dir and a corrupt file in one clear line', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'rolplay-ro-'));
    chmodSync(parent, 0o500);
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) await expect(openStore({ dataDir: join(parent, 'x') })).rejects.toThrow(/cannot create the data directory .* set dataDir/);
    const blocker = join(mkdtempSync(join(tmpdir(), 'rolplay-f-')), 'file');
    writeFileSync(blocker, 'not a dir');
    await expect(openStore({ dataDir: join(blocker, 'sub') })).rejects.toThrow(StoreError);
    const corrupt = join(mkdtempSync(join(tmpdir(), 'rolplay-c-')), 'rolplay.db');
    writeFileSync(corrupt, 'this is not a database '.repeat(200));
    await expect(openStore({ sqlitePath: corrupt })).rejects.toThrow(/cannot open the (SQLite )?database/);
  });
});

describe('PostgreSQL', () => {
  it('reports an unreachable server with the setting to fix', async () => {
    await expect(openStore({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none' })).rejects.toThrow(/database\.url \/ DATABASE_URL/);
  });
});
