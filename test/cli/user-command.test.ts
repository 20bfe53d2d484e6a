import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempConfig } from '../helpers/run-cli.js';
import { openStore } from '../../src/store/open-store.js';
import { cellWidth } from '../../src/cli/cell-width.js';

describe('rolplay user', () => {
  it('adds a user with E.164 phone and lower-cased email, queues the welcome without Twilio, lists as JSON', async () => {
    const { path } = tempConfig();
    const add = await runCli(['--config', path, 'user', 'add', '--name', 'Sara Lopez', '--email', 'Sara@Company.com', '--phone', '(415) 555-2671']);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('Added Sara Lopez <sara@company.com>, WhatsApp +14155552671');
    expect(add.stdout).toMatch(/Welcome message queued: Twilio is not configured/);
    const list = await runCli(['--config', path, 'user', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ email: 'sara@company.com', name: 'Sara Lopez', phone: '+14155552671', timezone: 'UTC' })]);
  });

  it('lists as a table aligned by terminal cells: a 王伟明 row does not shift the columns after it', async () => {
    const { path } = tempConfig();
    await runCli(['--config', path, 'user', 'add', '--name', 'Sara Lopez', '--email', 'sara@company.com', '--phone', '+14155552671', '--no-welcome']);
    await runCli(['--config', path, 'user', 'add', '--name', '王伟明', '--email', 'wang@company.com', '--phone', '+14155552672', '--no-welcome']);
    const lines = (await runCli(['--config', path, 'user', 'list'])).stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    // The WHATSAPP column starts at the same terminal cell on every line (王伟明 is six cells wide).
    const at = (line: string, text: string) => cellWidth(line.slice(0, line.indexOf(text)));
    expect(at(lines[1]!, '+14155552671')).toBe(at(lines[0]!, 'WHATSAPP'));
    expect(at(lines[2]!, '+14155552672')).toBe(at(lines[0]!, 'WHATSAPP'));
  });

  it('updates an existing email and says so', async () => {
    const { path } = tempConfig({ defaults: { country: 'ES', timezone: 'Europe/Madrid' } });
    await runCli(['--config', path, 'user', 'add', '--name', 'Ana', '--email', 'ana@x.com', '--phone', '612 34 56 78', '--no-welcome']);
    const again = await runCli(['--config', path, 'user', 'add', '--name', 'Ana Ruiz', '--email', 'ANA@x.com', '--phone', '+34 612 34 56 78', '--timezone', 'Atlantic/Canary']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Updated existing user Ana Ruiz <ana@x.com>, WhatsApp +34612345678, time zone Atlantic/Canary');
    const list = JSON.parse((await runCli(['--config', path, 'user', 'list', '--json'])).stdout);
    expect(list).toHaveLength(1);
  });

  it.each([
    [['--phone', '12345'], /--phone: "12345" is not a valid phone number: expected an international number like \+14155552671/],
    [['--email', 'not-an-email'], /"not-an-email" is not an email address/],
    [['--timezone', 'Moon/Base'], /--timezone: "Moon\/Base" is not an IANA time zone/],
    [['--name', '  '], /--name is empty/],
  ])('rejects bad input %j with one clear line and exit 1, storing nothing', async (override, message) => {
    const { path } = tempConfig();
    const args: Record<string, string> = { '--name': 'Sara', '--email': 'sara@x.com', '--phone': '+14155552671' };
    args[override[0]!] = override[1]!;
    const run = await runCli(['--config', path, 'user', 'add', ...Object.entries(args).flat()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse((await runCli(['--config', path, 'user', 'list', '--json'])).stdout)).toEqual([]);
  });

  it('refuses a phone that belongs to someone else', async () => {
    const { path } = tempConfig();
    await runCli(['--config', path, 'user', 'add', '--name', 'A', '--email', 'a@x.com', '--phone', '+14155552671', '--no-welcome']);
    const run = await runCli(['--config', path, 'user', 'add', '--name', 'B', '--email', 'b@x.com', '--phone', '+1 415 555 2671']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('already belongs to a@x.com');
  });

  it('picks up the invitations the new salesperson sent before registering, and says how many', async () => {
    const { dir, path } = tempConfig();
    const store = await openStore({ dataDir: join(dir, 'data') });
    const now = Date.now();
    for (const n of [1, 2]) {
      await store.meetings.insert({ event_id: `evt-${n}`, source: 'graph', title: `Call ${n}`, start_at: now + n * 86_400_000, end_at: now + n * 86_400_000 + 3_600_000, organizer_email: 'sara@x.com', user_id: null, status: 'scheduled', created_at: now, updated_at: now });
    }
    await store.close();
    const first = await runCli(['--config', path, 'user', 'add', '--name', 'Sara', '--email', 'Sara@X.com', '--phone', '+14155552671', '--no-welcome']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Picked up 2 earlier invitations from this address: `rolplay start` sends their plans as for a new invitation.');
    const again = await runCli(['--config', path, 'user', 'add', '--name', 'Sara', '--email', 'sara@x.com', '--phone', '+14155552671', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: false, pickedUp: 0 });
    const other = await runCli(['--config', path, 'user', 'add', '--name', 'Tom', '--email', 'tom@x.com', '--phone', '+14155552672', '--no-welcome']);
    expect(other.stdout).toContain('No earlier invitations from this address were waiting to be coached.');
  });

  it('removes a user, and says so for an unknown one', async () => {
    const { path } = tempConfig();
    await runCli(['--config', path, 'user', 'add', '--name', 'A', '--email', 'a@x.com', '--phone', '+14155552671', '--no-welcome']);
    expect((await runCli(['--config', path, 'user', 'remove', 'A@X.com'])).stdout).toContain('Removed a@x.com.');
    const missing = await runCli(['--config', path, 'user', 'remove', 'a@x.com']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no salesperson with email a@x.com/);
  });
});

describe('rolplay CLI errors', () => {
  it('unknown command and flag: commander error, exit 2, no stack trace', async () => {
    const a = await runCli(['frobnicate']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/unknown command 'frobnicate'/);
    const b = await runCli(['user', 'add', '--name', 'n', '--email', 'e@x.com', '--phone', '+14155552671', '--nme', 'x']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unknown option '--nme'/);
    expect(a.stderr + b.stderr).not.toMatch(/\n\s+at /);
  });

  it('missing required option names it', async () => {
    const run = await runCli(['user', 'add', '--name', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/required option '--email <email>' not specified/);
  });

  it('bad config: one line per problem and exit 2', async () => {
    const { path } = tempConfig({ server: { port: -1 }, gemini: { model: 7 } });
    const run = await runCli(['--config', path, 'user', 'list']);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).toMatch(/server\.port/);
    expect(lines.join('\n')).toMatch(/gemini\.model: expected string, found number 7/);
  });

  it('an unusable data dir is one clear line, exit 2', async () => {
    const { dir, path: first } = tempConfig();
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const { path } = tempConfig({ dataDir: join(blocker, 'data') });
    void first;
    const run = await runCli(['--config', path, 'user', 'list']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^rolplay: cannot create the data directory .*a-file\/data .*set dataDir/);
  });

  it('--help and --version exit 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: rolplay/);
    expect(help.stdout).toMatch(/user/);
    expect((await runCli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('config show redacts secrets and names sources', async () => {
    const { path } = tempConfig({ hubspot: { accessToken: 'pat-secret-value' } });
    const run = await runCli(['--config', path, 'config', 'show'], { TWILIO_AUTH_TOKEN: 'tok-secret' });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('secret');
    expect(run.stdout).toContain('hubspot.accessToken = "[redacted]"  (file)');
    expect(run.stdout).toContain('twilio.authToken = "[redacted]"  (env:TWILIO_AUTH_TOKEN)');
    expect(run.stdout).toContain('gemini.model = "gemini-2.5-flash"  (default)');
  });
});
