import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli, tempConfig } from '../helpers/run-cli.js';
import { startHubspotSimulator, HUBSPOT_SIM_TOKEN, type HubspotSim } from '../../src/sandbox/hubspot-simulator.js';
import { openStore } from '../../src/store/open-store.js';
import { seedMeetings } from '../helpers/seed-meetings.js';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { startGeminiSimulator, type GeminiSim } from '../../src/sandbox/gemini-simulator.js';
import { startMicrosoftTokenSimulator } from '../../src/sandbox/microsoft-token-simulator.js';
import { startGraphSimulator } from '../../src/sandbox/graph-simulator.js';

describe('rolplay doctor', () => {
  let hubspot: HubspotSim | undefined;
  let twilio: TwilioSim | undefined;
  let gemini: GeminiSim | undefined;
  afterEach(async () => {
    await hubspot?.close();
    await twilio?.close();
    await gemini?.close();
    hubspot = twilio = gemini = undefined;
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

  it('reports a broken Twilio auth token and Gemini key with their settings, never printing them', async () => {
    twilio = await startTwilioSimulator();
    gemini = await startGeminiSimulator();
    const badToken = 'f'.repeat(32);
    const badKey = 'AIzaSy-deliberately-broken-key-0000000';
    const { path } = tempConfig({
      twilio: { accountSid: twilio.accountSid, authToken: badToken, apiBaseUrl: twilio.url },
      gemini: { apiKey: badKey, baseUrl: gemini.url },
    });
    const run = await runCli(['--config', path, 'doctor']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✖ Twilio WhatsApp: .*twilio\.authToken/);
    expect(run.stdout).toMatch(/✖ Gemini \(gemini-2\.5-flash\): .*gemini\.apiKey/);
    expect(run.stdout + run.stderr).not.toContain(badToken);
    expect(run.stdout + run.stderr).not.toContain(badKey);
  });

  it('passes the services with good credentials and reports the store, jobs, unmatched invitations and 63016 errors', async () => {
    hubspot = await startHubspotSimulator();
    twilio = await startTwilioSimulator({ friendlyName: 'Acme Sales' });
    gemini = await startGeminiSimulator();
    const { path, dir } = tempConfig({
      hubspot: { accessToken: HUBSPOT_SIM_TOKEN, basePath: hubspot.url },
      twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url },
      gemini: { apiKey: gemini.apiKey, baseUrl: gemini.url },
    });
    const store = await openStore({ dataDir: join(dir, 'data') });
    await seedMeetings(store);
    await store.close();
    const run = await runCli(['--config', path, 'doctor', '--json']);
    const results = JSON.parse(run.stdout) as Array<{ name: string; status: string; detail: string }>;
    const byName = (prefix: string) => results.find((r) => r.name.startsWith(prefix))!;
    expect(byName('HubSpot')).toMatchObject({ status: 'ok', detail: expect.stringContaining('token accepted') });
    expect(byName('Twilio')).toMatchObject({ status: 'ok', detail: 'account "Acme Sales" is active; sending from whatsapp:+14155238886' });
    expect(byName('Gemini')).toMatchObject({ status: 'ok', detail: expect.stringContaining('gemini-2.5-flash answered') });
    expect(byName('Store')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/SQLite .*rolplay\.db, \d+ migrations \(latest \d{4}_\w+\); 2 users, 4 meetings, 2 messages, 1 jobs/) });
    // The seeded job failed with 63016 on 2026-01-05: older than a week, so not "recent".
    expect(byName('WhatsApp 24-hour window')).toMatchObject({ status: 'ok' });
    expect(byName('Jobs')).toMatchObject({ status: 'ok', detail: '0 pending, 0 running, 1 failed in all' });
    expect(byName('Microsoft')).toMatchObject({ status: 'fail', detail: expect.stringContaining('not configured') });
    expect(run.code).toBe(1); // Microsoft is not configured
  });

  it('reads the bot calendar through MSAL and Graph, and names the setting when the client secret is wrong', async () => {
    const tokens = await startMicrosoftTokenSimulator();
    const graph = await startGraphSimulator({ botEmail: 'coach-bot@example.com', tokens });
    try {
      graph.addEvent({ subject: 'Soon', organizer: 'a@x.com', start: Date.now() + 3_600_000, end: Date.now() + 7_200_000, attendees: ['coach-bot@example.com'] });
      const microsoft = { tenantId: tokens.tenantId, clientId: tokens.clientId, clientSecret: tokens.clientSecret, authorityHost: tokens.url, graphBaseUrl: graph.url };
      const good = await runCli(['--config', tempConfig({ microsoft }).path, 'doctor']);
      expect(good.stdout).toMatch(/✔ Microsoft Graph \(calendar of coach-bot@example\.com\): token issued; calendar of coach-bot@example\.com readable \(1 events in the next 24 h/);
      const wrong = 'wrong~secret~value~0000';
      const bad = await runCli(['--config', tempConfig({ microsoft: { ...microsoft, clientSecret: wrong } }).path, 'doctor']);
      expect(bad.stdout).toMatch(/✖ Microsoft Graph .*microsoft\.clientSecret/);
      expect(bad.stdout + bad.stderr).not.toContain(wrong);
    } finally {
      await graph.close();
      await tokens.close();
    }
  });

  it('lists every config problem and exits 2', async () => {
    const { path } = tempConfig({ twilio: { accountSid: 'nope' }, schedule: { reminderDelayMinutes: -1 } });
    const run = await runCli(['--config', path, 'doctor']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/✖ Config: .*twilio\.accountSid/);
    expect(run.stdout).toMatch(/✖ Config: .*schedule\.reminderDelayMinutes/);
  });
});
