import { afterEach, describe, expect, it } from 'vitest';
import { backends, freshStore, type TestStore } from '../../helpers/stores.js';
import { seedMeetings, T0 } from '../../helpers/seed-meetings.js';
import { FakeClock } from '../../../src/support/clock.js';
import { runChecks } from '../../../src/lifecycle/doctor/doctor-checks.js';
import { storeChecks } from '../../../src/lifecycle/doctor/doctor-store-checks.js';
import { redactSecrets } from '../../../src/lifecycle/doctor/doctor-checks.js';

describe.each(backends)('doctor store checks on %s', (backend) => {
  let t: TestStore;
  afterEach(async () => {
    await t?.dispose();
  });

  it('flags overdue and recently failed jobs, recent 63016 refusals and unmatched invitations', async () => {
    t = await freshStore(backend);
    await seedMeetings(t.store); // a job failed with 63016 at T0 + 3 s; an unmatched invitation created at T0
    await t.store.jobs.enqueue({ kind: 'send_whatsapp', lane: 'whatsapp', runAt: T0 - 3_600_000, dedupeKey: 'late', maxAttempts: 3 }, T0);
    const results = await runChecks(storeChecks(t.store, new FakeClock(T0 + 60_000)));
    const by = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(by.Store!.status).toBe('ok');
    expect(by.Jobs).toMatchObject({ status: 'fail', detail: expect.stringContaining('1 overdue (send_whatsapp') });
    expect(by.Jobs!.detail).toMatch(/1 failed in the last 7 days; latest #\d+ send_whatsapp \(meeting \d+: `rolplay meetings show \d+`\): Twilio error 63016/);
    expect(by['WhatsApp 24-hour window (63016)']).toMatchObject({ status: 'fail', detail: expect.stringContaining('twilio.templates.plan') });
    expect(by['Unmatched invitations']).toMatchObject({ status: 'warn', detail: expect.stringContaining('stranger@elsewhere.com') });
  });

  it('is all clear a week later, once the trouble is old', async () => {
    t = await freshStore(backend);
    await seedMeetings(t.store);
    const results = await runChecks(storeChecks(t.store, new FakeClock(T0 + 8 * 86_400_000)));
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  });
});

describe('redactSecrets', () => {
  it('scrubs every configured secret value from a line', () => {
    expect(redactSecrets('token pat-123456 rejected; again pat-123456', ['pat-123456', ''])).toBe('token [redacted] rejected; again [redacted]');
  });
});
