import { afterEach, describe, expect, it } from 'vitest';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';

let t: TestStore | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

/** The one grouped read behind rolplay_jobs (GET /metrics). */
describe.each(backends)('jobs counted by kind and state (%s)', (backend) => {
  it('returns one row per kind and status, with numbers (PostgreSQL counts are bigints)', async () => {
    t = await freshStore(backend);
    const now = Date.now();
    const add = (kind: string, key: string) => t!.store.jobs.enqueue({ kind, runAt: now, dedupeKey: key, maxAttempts: 3, lane: 'whatsapp' }, now);
    await add('send_whatsapp', 'a');
    await add('send_whatsapp', 'b');
    const { job } = await add('admin_alert', 'c');
    await t.store.jobs.claimById(job.id, { owner: 'w', now, leaseMs: 60_000 });
    await t.store.jobs.fail(job.id, 'w', 'no', now);
    const rows = await t.store.jobs.countByKindAndStatus();
    expect(rows.sort((x, y) => x.kind.localeCompare(y.kind))).toEqual([
      { kind: 'admin_alert', status: 'failed', n: 1 },
      { kind: 'send_whatsapp', status: 'pending', n: 2 },
    ]);
  });
});
