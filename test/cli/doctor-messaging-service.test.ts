import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempConfig } from '../helpers/run-cli.js';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';

let twilio: TwilioSim | undefined;
afterEach(async () => {
  await twilio?.close();
  twilio = undefined;
});

async function doctorTwilio(messagingServiceSid: string, extra: Record<string, unknown> = {}) {
  const sim = twilio!;
  const run = await runCli(['--config', tempConfig({ twilio: { accountSid: sim.accountSid, authToken: sim.authToken, apiBaseUrl: sim.url, messagingServiceSid, ...extra } }).path, 'doctor', '--json']);
  const results = JSON.parse(run.stdout) as Array<{ name: string; status: string; detail: string }>;
  return results.find((r) => r.name.startsWith('Twilio'))!;
}

describe('rolplay doctor: twilio.messagingServiceSid', () => {
  it('passes when the service exists and its sender pool holds twilio.whatsappFrom', async () => {
    twilio = await startTwilioSimulator();
    const mg = twilio.addMessagingService(['whatsapp:+14155238886'], 'Sales WhatsApp');
    expect(await doctorTwilio(mg)).toMatchObject({
      status: 'ok', detail: `account "rolplay sandbox" is active; sending from whatsapp:+14155238886 through Messaging Service "Sales WhatsApp" (${mg}), whose sender pool holds it`,
    });
    expect(twilio.requests.map((r) => r.path)).toEqual(expect.arrayContaining([`/v1/Services/${mg}`, `/v1/Services/${mg}/ChannelSenders`]));
  });

  it('fails naming the pool and the settings when whatsappFrom is not in it, or the service does not exist', async () => {
    twilio = await startTwilioSimulator();
    const mg = twilio.addMessagingService(['whatsapp:+15005550006', 'messenger:104794531907950'], 'Other');
    const missing = await doctorTwilio(mg);
    expect(missing.status).toBe('fail');
    expect(missing.detail).toContain('has no sender whatsapp:+14155238886 in its sender pool (WhatsApp senders there: whatsapp:+15005550006)');
    expect(missing.detail).toContain('twilio.whatsappFrom');
    const unknown = await doctorTwilio(`MG${'0'.repeat(32)}`);
    expect(unknown.status).toBe('fail');
    expect(unknown.detail).toMatch(/Twilio error 20404.*twilio\.messagingServiceSid/);
  });

  it('refuses a malformed SID as a config problem naming the key (exit 2)', async () => {
    const { path } = tempConfig({ twilio: { messagingServiceSid: 'MG123' } });
    const run = await runCli(['--config', path, 'doctor']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/✖ Config: .*twilio\.messagingServiceSid.*"MG" followed by 32 hex characters/);
  });
});
