import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli, tempConfig } from '../helpers/run-cli.js';
import { openStore } from '../../src/store/open-store.js';
import { seedMeetings } from '../helpers/seed-meetings.js';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { startGeminiSimulator, type GeminiSim } from '../../src/sandbox/gemini-simulator.js';

describe('rolplay meetings replay', () => {
  let twilio: TwilioSim;
  let gemini: GeminiSim;
  afterEach(async () => {
    await twilio?.close();
    await gemini?.close();
  });

  async function setup() {
    twilio = await startTwilioSimulator();
    gemini = await startGeminiSimulator();
    const { path, dir } = tempConfig({
      twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url },
      gemini: { apiKey: gemini.apiKey, baseUrl: gemini.url },
    });
    const store = await openStore({ dataDir: join(dir, 'data') });
    const seeded = await seedMeetings(store);
    await store.close();
    return { path, seeded };
  }

  it('--dry-run prints the new plan and sends nothing', async () => {
    const { path, seeded } = await setup();
    const run = await runCli(['--config', path, 'meetings', 'replay', String(seeded.meetings.planned.id), '--dry-run']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('*Coaching plan: Acme renewal*');
    expect(run.stdout).toContain('Dry run: nothing stored or sent. Without --dry-run this goes to Sara Lopez (+14155552671).');
    expect(twilio.messages).toHaveLength(0);
  });

  it('prints warnings as human lines on a piped stderr, not JSON', async () => {
    const { path, seeded } = await setup();
    gemini.script({ error: 429, retryDelaySeconds: 0.05 });
    const run = await runCli(['--config', path, 'meetings', 'replay', String(seeded.meetings.planned.id), '--dry-run'], { ROLPLAY_LOG_LEVEL: 'warn' });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^rolplay: warning: Gemini call failed; retrying: Gemini is rate limiting rolplay .* \(component=gemini, status=429, waitMs=\d+, attempt=1\)\n$/);
    expect(run.stderr).not.toContain('{');
  });

  it('sends the regenerated plan on WhatsApp at once and says so', async () => {
    const { path, seeded } = await setup();
    const run = await runCli(['--config', path, 'meetings', 'replay', String(seeded.meetings.planned.id)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Plan for meeting ${seeded.meetings.planned.id} regenerated and sent to Sara Lopez on WhatsApp.`);
    expect(twilio.sentTo('+14155552671')).toHaveLength(1);
    const show = await runCli(['--config', path, 'meetings', 'show', String(seeded.meetings.planned.id), '--json']);
    expect(JSON.parse(show.stdout).jobs.map((j: { dedupeKey: string; status: string }) => [j.dedupeKey.replace(/\d+$/, 'T'), j.status]))
      .toContainEqual([`plan-replay:${seeded.meetings.planned.id}:T`, 'done']);
  });

  it('refuses a cancelled meeting without --force, with one line and exit 1', async () => {
    const { path, seeded } = await setup();
    const run = await runCli(['--config', path, 'meetings', 'replay', String(seeded.meetings.cancelled.id)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`rolplay: meeting ${seeded.meetings.cancelled.id} "Cancelled demo" is cancelled: pass --force to replay its plan anyway\n`);
    expect(gemini.calls).toHaveLength(0);
    const forced = await runCli(['--config', path, 'meetings', 'replay', String(seeded.meetings.cancelled.id), '--force']);
    expect(forced.code).toBe(0);
  });
});
