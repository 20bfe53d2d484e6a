import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/support/clock.js';
import { cachedHealthStatus } from '../../../src/lifecycle/doctor/health-status.js';
import type { Store } from '../../../src/store/open-store.js';

function storeCounting(fail: () => boolean) {
  const calls = { n: 0 };
  const store = { jobs: { countByStatus: async () => { calls.n++; if (fail()) throw new Error('database is locked'); return { pending: calls.n }; } } } as unknown as Store;
  return { store, calls };
}

describe('cachedHealthStatus', () => {
  it('reads the store once per second however often it is probed', async () => {
    const clock = new FakeClock(0);
    const { store, calls } = storeCounting(() => false);
    const health = cachedHealthStatus({ store, clock });
    const answers = await Promise.all(Array.from({ length: 50 }, () => health()));
    expect(calls.n).toBe(1);
    expect(answers.every((a) => a.ok && a.jobs?.pending === 1)).toBe(true);
    await clock.advance(999);
    expect((await health()).jobs).toEqual({ pending: 1 });
    await clock.advance(1);
    expect((await health()).jobs).toEqual({ pending: 2 });
  });

  it('does not keep a failed read: the next probe asks the store again', async () => {
    const clock = new FakeClock(0);
    let failing = true;
    const { store, calls } = storeCounting(() => failing);
    const health = cachedHealthStatus({ store, clock });
    expect(await health()).toMatchObject({ ok: false, error: 'store unavailable: database is locked' });
    failing = false;
    expect(await health()).toMatchObject({ ok: true });
    expect(calls.n).toBe(2);
  });
});
