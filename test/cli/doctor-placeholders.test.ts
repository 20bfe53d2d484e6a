import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, tempConfig } from '../helpers/run-cli.js';
import { findPlaceholders } from '../../src/config/placeholders.js';
import { configSchema } from '../../src/config/schema.js';

const example = JSON.parse(readFileSync(fileURLToPath(new URL('../../config.example.json', import.meta.url)), 'utf8')) as Record<string, unknown>;

describe('rolplay doctor and config.example.json placeholders', () => {
  it('fails a check per placeholder left in a copy of the example, naming the key', async () => {
    const { dir } = tempConfig();
    const { path } = tempConfig({ ...example, dataDir: `${dir}/data` });
    const run = await runCli(['--config', path, 'doctor']);
    expect(run.code).toBe(1);
    const flagged = run.stdout.split('\n').filter((l) => l.includes('a placeholder from config.example.json'));
    expect(flagged).toEqual([
      '✖ Config: microsoft.tenantId is "00000000-0000-0000-0000-000000000000", a placeholder from config.example.json: set it to your Directory (tenant) ID from the app registration\'s Overview page in the Microsoft Entra admin center',
      '✖ Config: microsoft.clientId is "00000000-0000-0000-0000-000000000000", a placeholder from config.example.json: set it to the Application (client) ID from the same page',
      '✖ Config: bot.email is "coach-bot@yourcompany.com", a placeholder from config.example.json: set it to the address of the bot mailbox salespeople invite',
      '✖ Config: server.publicUrl is "https://coach.yourcompany.com", a placeholder from config.example.json: set it to the public https address Twilio reaches this daemon at',
      '✖ Config: microsoft.internalDomains[0] is "yourcompany.com", a placeholder from config.example.json: set it to your company\'s own email domains',
    ]);
  });

  it('flags all-zero Twilio SIDs and leaves real-looking values alone', () => {
    const zeros = configSchema.parse({
      twilio: { accountSid: `AC${'0'.repeat(32)}`, messagingServiceSid: `MG${'0'.repeat(32)}`, templates: { plan: `HX${'0'.repeat(32)}`, reminder: { en: `HX${'a1'.repeat(16)}`, es: `HX${'0'.repeat(32)}` } } },
    });
    expect(findPlaceholders(zeros).map((p) => p.key)).toEqual(['twilio.accountSid', 'twilio.messagingServiceSid', 'twilio.templates.plan', 'twilio.templates.reminder.es']);
    const real = configSchema.parse({
      bot: { email: 'coach@acme.com' }, server: { publicUrl: 'https://coach.acme.com' },
      microsoft: { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: 'b1c2d3e4-0000-4000-8000-000000000001', internalDomains: ['acme.com', 'notyourcompany.com'] },
      twilio: { accountSid: `AC${'a1'.repeat(16)}` },
    });
    expect(findPlaceholders(real)).toEqual([]);
  });
});
