import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTROL_FILE, remoteActions, startControlServer, type ControlFile, type ControlServer } from '../../src/sandbox-world/sandbox-control.js';
import { localActions, type SandboxActions } from '../../src/sandbox-world/sandbox-actions.js';
import type { SandboxWorld } from '../../src/sandbox-world/sandbox-world.js';
import { parseDuration } from '../../src/sandbox-world/parse-duration.js';
import { splitWords } from '../../src/cli/sandbox-repl.js';
import { UsageError } from '../../src/support/errors.js';
import { runCli } from '../helpers/run-cli.js';

let server: ControlServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A sandbox folder with a config and a running control endpoint over `actions`. */
async function sandboxDir(actions: SandboxActions): Promise<{ config: string; dataDir: string; control: ControlFile }> {
  const dir = mkdtempSync(join(tmpdir(), 'rolplay-sbctl-'));
  const dataDir = join(dir, 'data');
  const config = join(dir, 'rolplay-sandbox.json');
  writeFileSync(config, JSON.stringify({ dataDir }));
  mkdirSync(dataDir);
  server = await startControlServer({ actions, dataDir, port: 0 });
  return { config, dataDir, control: JSON.parse(readFileSync(join(dataDir, CONTROL_FILE), 'utf8')) as ControlFile };
}

const invited: unknown[] = [];
const fakeActions: SandboxActions = {
  async invite(input) {
    invited.push(input);
    if (input.inMs > 1000 * 86_400_000) throw new UsageError('--in: too far');
    return { eventId: 'AAMk1', subject: input.subject ?? 'x', organizer: 'sara@sandbox.example', clients: ['ann.lee@acme.example'], start: '2026-12-02T10:00:00.000Z', end: '2026-12-02T10:30:00.000Z' };
  },
  say: async (input) => ({ from: input.from ?? '+14155550123', name: 'Sara Lopez', messageSid: 'SM1' }),
  sent: async () => [],
  notes: async () => [],
};

describe('sandbox control endpoint', () => {
  it('acts for `rolplay sandbox <command>` and refuses requests without the token recorded in the owner-only control file', async () => {
    const { config, dataDir, control } = await sandboxDir(fakeActions);
    expect(statSync(join(dataDir, CONTROL_FILE)).mode & 0o777).toBe(0o600);
    const run = await runCli(['sandbox', 'invite', 'Acme renewal', '--in', '90s', '--for', '1h', '--json', '--config', config]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ eventId: 'AAMk1', subject: 'Acme renewal' });
    expect(invited.at(-1)).toEqual({ subject: 'Acme renewal', inMs: 90_000, durationMs: 3_600_000 });

    const anonymous = await fetch(`${control.url}/actions/sent`, { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(`${control.url}/actions/sent`, { method: 'POST', body: '{}', headers: { Authorization: `Bearer ${control.token.replace(/^./, 'x')}` } });
    expect(wrong.status).toBe(401);
  });

  it('turns an action\'s refusal into one line and exit 1', async () => {
    const { config } = await sandboxDir(fakeActions);
    const run = await runCli(['sandbox', 'invite', '--in', '2000d', '--config', config]);
    expect(run).toMatchObject({ code: 1, stdout: '', stderr: 'rolplay: --in: too far\n' });
    const bad = await runCli(['sandbox', 'invite', '--for', 'soon', '--config', config]);
    expect(bad).toMatchObject({ code: 1, stderr: 'rolplay: --for: "soon" is not a duration: expected e.g. 90s, 5m, 1h or 2d\n' });
  });

  it('says so when no sandbox wrote the config, or it is not running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolplay-sbctl-'));
    const missing = await runCli(['sandbox', 'notes'], {}, dir);
    expect(missing).toMatchObject({ code: 1, stderr: `rolplay: no sandbox config at ${join(dir, 'rolplay-sandbox.json')}: start \`rolplay sandbox\` first (or pass --config with the file it wrote)\n` });
    writeFileSync(join(dir, 'rolplay-sandbox.json'), JSON.stringify({ dataDir: join(dir, 'data') }));
    const stopped = await runCli(['sandbox', 'notes'], {}, dir);
    expect(stopped.stderr).toBe(`rolplay: the sandbox of ${join(dir, 'rolplay-sandbox.json')} is not running: start it with \`rolplay sandbox\`\n`);
    expect(() => remoteActions(join(dir, 'nope.json'))).toThrow(/no sandbox config/);
  });
});

describe('sandbox actions check their input (it may come over the control endpoint as any JSON)', () => {
  const added: unknown[] = [];
  const world = { graph: { addEvent: (e: unknown) => { added.push(e); return 'AAMk2'; } }, daemonUrl: 'http://127.0.0.1:1', configPath: 'x.json' } as unknown as SandboxWorld;
  const actions = localActions(world);

  it('adds an invitation with the bot, the organizer and the clients as Graph attendees', async () => {
    const result = await actions.invite({ inMs: 60_000, durationMs: 1_800_000 });
    expect(result).toMatchObject({ subject: 'Acme Corp renewal', organizer: 'sara@sandbox.example', clients: ['ann.lee@acme.example'] });
    expect(added.at(-1)).toMatchObject({ organizer: 'sara@sandbox.example', attendees: ['coach-bot@sandbox.example', { email: 'ann.lee@acme.example', name: 'Ann Lee' }] });
  });

  it('refuses bad organizers, clients, durations, senders and empty messages with one line each', async () => {
    await expect(actions.invite({ organizer: 'tom', inMs: 0, durationMs: 60_000 })).rejects.toThrow('--organizer: "tom" is not an email address');
    await expect(actions.invite({ clients: ['x@'], inMs: 0, durationMs: 60_000 })).rejects.toThrow('--client: "x@" is not an email address');
    await expect(actions.invite({ inMs: -1, durationMs: 60_000 })).rejects.toThrow('--in: expected from 0s to 30d');
    await expect(actions.invite({ inMs: 0, durationMs: '1h' as unknown as number })).rejects.toThrow('--for: expected from 1s to 1d');
    await expect(actions.say({ from: '12', text: 'hi' })).rejects.toThrow(/^--from: "12" is not a/);
    await expect(actions.say({ text: '  ' })).rejects.toThrow('say what?');
    await expect(actions.sent({ last: Number.NaN })).rejects.toThrow('--last: expected a whole number from 1 to 10000');
  });

  it('say --voice posts a voice note: the media held by the Twilio simulator, saying the text', async () => {
    const { startTwilioSimulator } = await import('../../src/sandbox/twilio-simulator.js');
    const { spokenText } = await import('../../src/sandbox/gemini-sim-audio.js');
    const { createServer } = await import('node:http');
    const twilio = await startTwilioSimulator();
    const forms: Array<Record<string, string>> = [];
    const daemon = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        forms.push(Object.fromEntries(new URLSearchParams(raw)));
        res.end('<Response/>');
      });
    });
    await new Promise<void>((r) => daemon.listen(0, '127.0.0.1', r));
    try {
      const port = (daemon.address() as import('node:net').AddressInfo).port;
      const voiceActions = localActions({ twilio, daemonUrl: `http://127.0.0.1:${port}`, configPath: 'x.json' } as unknown as SandboxWorld);
      const result = await voiceActions.say({ text: 'what should I ask Ann?', voice: true });
      const form = forms[0]!;
      expect(form).toMatchObject({ Body: '', NumMedia: '1', MediaContentType0: 'audio/ogg', MessageSid: result.messageSid });
      expect(form.MediaUrl0!.startsWith(`${twilio.url}/2010-04-01/Accounts/${twilio.accountSid}/Messages/${result.messageSid}/Media/ME`)).toBe(true);
      const res = await fetch(form.MediaUrl0!, { headers: { Authorization: `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}` } });
      expect(spokenText(Buffer.from(await res.arrayBuffer()))).toBe('what should I ask Ann?');
    } finally {
      daemon.closeAllConnections();
      await new Promise((r) => daemon.close(r));
      await twilio.close();
    }
  });

  it('says how to start rolplay when the daemon is not listening', async () => {
    await expect(actions.say({ text: 'hello' })).rejects.toThrow(/^rolplay is not answering at http:\/\/127\.0\.0\.1:1 \(.*\): start it with `rolplay start --config x\.json`$/);
  });
});

describe('sandbox prompt words', () => {
  it('parses durations and splits lines with double quotes, leaving apostrophes alone', () => {
    expect([parseDuration('90s', '--in'), parseDuration('5m', '--in'), parseDuration('1.5h', '--in'), parseDuration('2d', '--in'), parseDuration('0', '--in')])
      .toEqual([90_000, 300_000, 5_400_000, 172_800_000, 0]);
    expect(() => parseDuration('5', '--in')).toThrow('--in: "5" is not a duration');
    expect(splitWords('invite "Acme renewal" --in 5m')).toEqual(['invite', 'Acme renewal', '--in', '5m']);
    expect(splitWords("say what's the plan?")).toEqual(['say', "what's", 'the', 'plan?']);
    expect(() => splitWords('invite "Acme')).toThrow('a double quote is not closed');
  });
});
