import { afterEach, describe, expect, it } from 'vitest';
import { backends, freshStore, type TestStore } from '../helpers/stores.js';
import { LeaderLease } from '../../src/daemon/leader-lease.js';
import { silentLogger } from '../../src/support/logger.js';

let t: TestStore;
afterEach(async () => t?.dispose());

describe.each(backends)('leases on %s', (backend) => {
  it('gives the lease to one holder at a time and bumps the epoch on takeover', async () => {
    t = await freshStore(backend);
    const results = await Promise.all(['a', 'b', 'c'].map((h) => t.store.leases.acquire('poll', h, 60_000)));
    const winners = results.filter(Boolean);
    expect(winners).toHaveLength(1);
    const first = winners[0]!;
    expect(first.epoch).toBe(1);
    // the holder re-acquiring keeps its epoch
    expect((await t.store.leases.acquire('poll', first.holder, 60_000))!.epoch).toBe(1);
    // a short lease expires and another holder takes it with a new epoch
    const short = await t.store.leases.acquire('short', 'a', 50);
    await new Promise((r) => setTimeout(r, 80));
    const taken = await t.store.leases.acquire('short', 'b', 60_000);
    expect(taken).toMatchObject({ holder: 'b', epoch: short!.epoch + 1 });
    // the deposed holder can neither renew nor write fenced state
    expect(await t.store.leases.renew(short!, 60_000)).toBeUndefined();
    await t.store.syncState.set('delta', 'old', 1);
    expect(await t.store.syncState.setFenced('delta', 'stale-write', 2, short!, t.store.leases)).toBe(false);
    expect(await t.store.syncState.get('delta')).toBe('old');
    expect(await t.store.syncState.setFenced('delta', 'new', 3, taken!, t.store.leases)).toBe(true);
    expect(await t.store.syncState.setFenced('fresh-key', 'v', 3, taken!, t.store.leases)).toBe(true);
    expect(await t.store.syncState.get('delta')).toBe('new');
  });

  it('LeaderLease renews what it holds and stands down when it loses it', async () => {
    t = await freshStore(backend);
    const a = new LeaderLease({ store: t.store, name: 'poll', holder: 'a', ttlMs: 60_000, logger: silentLogger() });
    const b = new LeaderLease({ store: t.store, name: 'poll', holder: 'b', ttlMs: 60_000, logger: silentLogger() });
    expect(await a.ensure()).toBeDefined();
    expect(await b.ensure()).toBeUndefined();
    expect((await a.ensure())!.epoch).toBe(1);
    await a.release();
    expect((await b.ensure())!.holder).toBe('b');
  });
});
