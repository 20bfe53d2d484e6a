import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { FakeClock } from '../../src/support/clock.js';
import { silentLogger } from '../../src/support/logger.js';
import { buildApp } from '../../src/daemon/build-app.js';
import { createDigestComponent } from '../../src/daemon/digest-component.js';
import { startTwilioSimulator } from '../../src/sandbox/twilio-simulator.js';
import { advanceJobs } from '../helpers/advance-jobs.js';
import { freshStore } from '../helpers/stores.js';
import { MONDAY_8 } from '../helpers/digest-world.js';

const HOUR = 3_600_000;
const SAM = '+14155550100';
const ADMIN = '+14155550199';
const DIGEST_TEMPLATE = 'HX' + 'd'.repeat(32);

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
  cleanup = [];
});

/**
 * The digest through the real twilio SDK against the simulator, where WhatsApp's window is closed
 * for Sam although he wrote 23 hours ago (rolplay believes it open, so free text goes first and
 * Twilio refuses it at once with 63016).
 */
async function digestWeek(template: string) {
  const t = await freshStore();
  cleanup.push(() => t.dispose());
  const clock = new FakeClock(MONDAY_8);
  const twilio = await startTwilioSimulator({ now: () => clock.now(), outsideWindow: [SAM], outsideWindowMode: 'reject' });
  cleanup.push(() => twilio.close());
  const config = configSchema.parse({
    twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url, templates: { digest: template } },
    admin: { whatsapp: ADMIN },
    schedule: { digest: '0 8 * * MON' },
  });
  const app = await buildApp({ config, logger: silentLogger(), clock, store: t.store });
  cleanup.push(() => app.close());
  const { user } = await t.store.users.upsert({ email: 'sam@example.com', name: 'Sam Seller', phone: SAM, timezone: 'UTC' }, MONDAY_8 - 30 * 24 * HOUR);
  await t.store.messages.record({ direction: 'in', userId: user.id, meetingId: null, phone: SAM, body: 'thanks', twilioSid: `SM${'0'.repeat(32)}`, kind: 'chat' }, MONDAY_8 - 23 * HOUR);
  await t.store.roleplays.record({ meetingId: null, userId: user.id, difficulty: 'normal', focus: null, startedAt: MONDAY_8 - 2 * 24 * HOUR, scoredAt: MONDAY_8 - 2 * 24 * HOUR + 600_000, score: 7, discovery: 6, objectionHandling: 8, nextStep: 7, summary: 's', tips: [], transcript: [] });
  await createDigestComponent(app.services)!.runOnce!();
  app.runner.start();
  await advanceJobs(clock, t.store);
  return { twilio, t };
}

describe('the weekly digest on WhatsApp, end to end', () => {
  it('refused as free text outside the window (63016), goes out as twilio.templates.digest, once', async () => {
    const { twilio } = await digestWeek(DIGEST_TEMPLATE);
    const toSam = twilio.sentTo(SAM);
    expect(toSam).toHaveLength(1);
    expect(toSam[0]).toMatchObject({ contentSid: DIGEST_TEMPLATE, contentVariables: { 1: 'Sam', 2: '0 meetings (0 prepared); 1 role-play, average 7/10' } });
    const team = twilio.sentTo(ADMIN);
    expect(team).toHaveLength(1);
    expect(team[0]!.body).toContain("*rolplay: the team's week* (the 7 days to Mon 30 Nov)");
  });

  it('without a template, the refused digest is a failed send the admin is told about', async () => {
    const { twilio, t } = await digestWeek('');
    expect(twilio.sentTo(SAM)).toHaveLength(0);
    const failed = (await t.store.jobs.list({ status: ['failed'] })).map((j) => JSON.parse(j.payload).kind);
    expect(failed).toEqual(['digest']);
    expect(twilio.sentTo(ADMIN).map((m) => m.body).join('\n')).toMatch(/job send_whatsapp #\d+ failed: .*twilio\.templates\.welcome \/ plan \/ reminder \/ digest/);
  });
});
