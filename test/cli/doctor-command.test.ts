import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli, tempConfig } from '../helpers/run-cli.js';
import { startHubspotSimulator, HUBSPOT_SIM_TOKEN, type HubspotSim } from '../../src/sandbox/hubspot-simulator.js';
import { openStore } from '../../src/store/open-store.js';
import { seedMeetings } from '../helpers/seed-meetings.js';

describe('rolplay doctor', () => {
  let hubspot: HubspotSim | undefined;
  afterEach(async () => {
    await hubspot?.close();
    hubspot = undefined;
  });

  it('reports a broken HubSpot token with the fix, never printing it, and exits 1', async () => {
    hubspot = await startHubspotSimulator();
    const broken = 'pat-na1-deliberately-broken-token-1234';
    const { path } = tempConfig({ hubspot: { accessToken: broken, basePath: hubspot.url } });
    const run = await runCli(['--config', path, 'doctor']);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^✔ Config: .*config\.json is valid$/);
    const hubspotLine = lines.find((l) => l.includes('HubSpot'));
    expect(hubspotLine).toMatch(/^✖ HubSpot: .*hubspot\.accessToken/);
    expect(run.stdout + run.stderr).not.toContain(broken);
    expect(lines.find((l) => l.includes('Twilio'))).toMatch(/^✖ Twilio WhatsApp: not configured: set twilio\.accountSid and twilio\.authToken/);
    expect(lines.find((l) => l.includes('Gemini'))).toMatch(/^✖ Gemini \(gemini-2\.5-flash\): not configured: set gemini\.apiKey/);
    expect(run.stderr).toMatch(/rolplay: \d+ of \d+ checks failed/);
  });

  it('passes HubSpot with a good token and reports the store, jobs, unmatched invitations and 63016 errors', async () => {
    hubspot = await startHubspotSimulator();
    const { path, dir } = tempConfig({ hubspot: { accessToken: HUBSPOT_SIM_TOKEN, basePath: hubspot.url } });
    const store = await openStore({ dataDir: join(dir, 'data') });
    await seedMeetings(store);
    await store.close();
    const run = await runCli(['--config', path, 'doctor', '--json']);
    const results = JSON.parse(run.stdout) as Array<{ name: string; status: string; detail: string }>;
    const byName = (prefix: string) => results.find((r) => r.name.startsWith(prefix))!;
    expect(byName('HubSpot')).toMatchObject({ status: 'ok', detail: expect.stringContaining('token accepted') });
    expect(byName('Store')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/SQLite .*rolplay\.db, \d+ migrations \(latest \d{4}_\w+\); 2 users, 4 meetings, 2 messages, 1 jobs/) });
    // The seeded job failed with 63016 on 2026-01-05: older than a week, so not "recent".
    expect(byName('WhatsApp 24-hour window')).toMatchObject({ status: 'ok' });
    expect(byName('Jobs')).toMatchObject({ status: 'ok', detail: '0 pending, 0 running, 1 failed in all' });
    expect(run.code).toBe(1); // Twilio, Gemini and Microsoft are not configured
  });

  it('lists every config problem and exits 2', async () => {
    const { path } = tempConfig({ twilio: { accountSid: 'nope' }, schedule: { reminderDelayMinutes: -1 } });
    const run = await runCli(['--config', path, 'doctor']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/✖ Config: .*twilio\.accountSid/);
    expect(run.stdout).toMatch(/✖ Config: .*schedule\.reminderDelayMinutes/);
  });
});
