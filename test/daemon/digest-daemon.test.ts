import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { buildApp, type App } from '../../src/daemon/build-app.js';
import { buildDaemonComponents } from '../../src/daemon/daemon-components.js';
import { cronDigestSchedule } from '../../src/daemon/digest-component.js';
import { runOnce } from '../../src/daemon/start-daemon.js';
import { FakeClock } from '../../src/support/clock.js';
import { silentLogger } from '../../src/support/logger.js';
import { freshStore, type TestStore } from '../helpers/stores.js';
import { MONDAY_8 } from '../helpers/digest-world.js';

let t: TestStore | undefined;
let app: App | undefined;
afterEach(async () => {
  await app?.close();
  await t?.dispose();
  app = undefined;
  t = undefined;
});

async function appWith(digest: string, now: number): Promise<App> {
  t = await freshStore();
  const config = configSchema.parse({ schedule: { digest }, defaults: { timezone: 'Europe/Madrid' } });
  app = await buildApp({ config, logger: silentLogger(), clock: new FakeClock(now), store: t.store });
  return app;
}

describe('the digest in the daemon', () => {
  it('is a component of `rolplay start` only when schedule.digest is set', async () => {
    expect(buildDaemonComponents(await appWith('', MONDAY_8)).map((c) => c.name)).not.toContain('digest');
    await app!.close();
    await t!.dispose();
    expect(buildDaemonComponents(await appWith('0 9 * * MON', MONDAY_8)).map((c) => c.name)).toContain('digest');
  });

  it('`rolplay start --once` (run by cron) queues and runs a digest due in the company time zone', async () => {
    // 09:00 in Madrid is 08:00 UTC on 30 November: an hour ago at 09:00 UTC.
    const a = await appWith('0 9 * * MON', MONDAY_8 + 3_600_000);
    const result = await runOnce(a);
    expect(result.failures).toEqual([]);
    const jobs = await t!.store.jobs.list({});
    expect(jobs.map((j) => [j.kind, j.dedupe_key, j.status])).toEqual([['send_digests', 'digest:2026-W49', 'done']]);
    expect(JSON.parse(jobs[0]!.payload)).toEqual({ week: '2026-W49', from: MONDAY_8 - 7 * 86_400_000, to: MONDAY_8 });
  });

  it('fires on croner in the company time zone', async () => {
    let ticks = 0;
    const schedule = cronDigestSchedule('* * * * * *', 'Europe/Madrid', async () => {
      ticks++;
    });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    schedule.stop();
    expect(ticks).toBeGreaterThanOrEqual(1);
  });
});
