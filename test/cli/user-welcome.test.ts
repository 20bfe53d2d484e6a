import { afterEach, describe, expect, it } from 'vitest';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { runCli, tempConfig } from '../helpers/run-cli.js';

let sim: TwilioSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function twilioConfig(s: TwilioSim) {
  return { twilio: { accountSid: s.accountSid, authToken: s.authToken, apiBaseUrl: s.url, whatsappFrom: 'whatsapp:+14155238886' } };
}

describe('rolplay user add: the welcome message', () => {
  it('reaches Twilio through the real SDK', async () => {
    sim = await startTwilioSimulator();
    const { path } = tempConfig(twilioConfig(sim));
    const run = await runCli(['--config', path, 'user', 'add', '--name', 'Sara Lopez', '--email', 'sara@company.com', '--phone', '(415) 555-2671']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Welcome message sent on WhatsApp.');
    const sent = sim.sentTo('+14155552671');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.from).toBe('whatsapp:+14155238886');
    expect(sent[0]!.body).toMatch(/^Hi Sara! You're registered with rolplay/);
    // re-adding the same user does not greet twice
    await runCli(['--config', path, 'user', 'add', '--name', 'Sara Lopez', '--email', 'sara@company.com', '--phone', '+14155552671']);
    expect(sim.sentTo('+14155552671')).toHaveLength(1);
  });

  it('is queued, not lost, when Twilio answers 503: the command still succeeds', async () => {
    sim = await startTwilioSimulator();
    const { path } = tempConfig(twilioConfig(sim));
    sim.failNext('503', 1);
    const run = await runCli(['--config', path, 'user', 'add', '--name', 'Ana', '--email', 'ana@x.com', '--phone', '+14155552672']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Welcome message queued: .*`rolplay start` will retry/);
    expect(sim.sentTo('+14155552672')).toHaveLength(0);
    expect(JSON.parse((await runCli(['--config', path, 'user', 'list', '--json'])).stdout)).toHaveLength(1);
  });
});
