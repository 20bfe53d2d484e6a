import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { spawnRolplay, type DaemonProcess } from '../helpers/daemon-process.js';
import { runCli } from '../helpers/run-cli.js';
import { until } from '../daemon/twilio-daemon-world.js';
import type { NoteView, SentMessage } from '../../src/sandbox-world/sandbox-actions.js';

const BIN = fileURLToPath(new URL('../../bin/rolplay.js', import.meta.url));
const SARA = '+14155550123';

interface SandboxProcess {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  exited: Promise<number | string>;
}

/** `rolplay sandbox` as a newcomer runs it in terminal 1, its prompt fed through stdin. */
function spawnSandbox(args: string[]): SandboxProcess {
  const child = spawn(process.execPath, [BIN, 'sandbox', ...args], { env: { PATH: process.env.PATH, HOME: '/nonexistent-home' } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, output: () => output, exited };
}

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function track(p: { child: { kill(signal: NodeJS.Signals): boolean }; exited: Promise<unknown> }): void {
  cleanup.push(async () => {
    p.child.kill('SIGKILL');
    await p.exited;
  });
}

describe('rolplay sandbox', () => {
  it('runs a world that a real `rolplay start` coaches in: invitation -> plan, a question -> an answer, reminder -> HubSpot note; quit stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolplay-sandbox-'));
    const config = join(dir, 'rolplay-sandbox.json');
    const sandbox = spawnSandbox(['--config-out', config]);
    track(sandbox);
    await until(() => sandbox.output().includes('Sandbox ready.'), 15_000, 'the sandbox banner');
    expect(sandbox.output()).toContain(`rolplay start --config ${config}`);

    // The written config points at the simulators; only the test's pace is changed: the reminder
    // right at the meeting's end and a poll every second, so the whole lifecycle takes seconds.
    const written = JSON.parse(readFileSync(config, 'utf8')) as Record<string, Record<string, unknown>>;
    expect(written.server!.publicUrl).toBe(`http://127.0.0.1:${String(written.server!.port)}`);
    expect(written.schedule!.planLeadHours).toBe(0);
    writeFileSync(config, JSON.stringify({ ...written, schedule: { ...written.schedule, reminderDelayMinutes: 0 }, microsoft: { ...written.microsoft, pollSeconds: 1 } }));

    const daemon: DaemonProcess = spawnRolplay(['start', '--config', config], { ROLPLAY_LOG_LEVEL: 'info' });
    track(daemon);
    await daemon.waitFor((e) => e.msg === 'rolplay started', 20_000);

    // Terminal 1's prompt: an invitation from the registered salesperson.
    // Long enough for the question below to come before the meeting ends (after its reminder,
    // any message is the answer to the reminder), even on a loaded machine.
    sandbox.child.stdin.write('invite "Acme renewal" --client ann.lee@acme.example --in 2s --for 12s\n');
    await until(() => sandbox.output().includes('Invited the bot to "Acme renewal"'), 5000, 'the invite confirmation');
    // The live feed shows the plan as the Twilio simulator receives it.
    await until(() => sandbox.output().includes('*Coaching plan: Acme renewal*'), 15_000, 'the plan in the live feed');

    const sent = async (): Promise<SentMessage[]> => {
      const run = await runCli(['sandbox', 'sent', '--json', '--last', '100', '--config', config]);
      expect(run.stderr).toBe('');
      return JSON.parse(run.stdout) as SentMessage[];
    };
    expect((await sent()).some((m) => m.to === SARA && m.body.startsWith('*Coaching plan: Acme renewal*'))).toBe(true);

    // Terminal 3: a salesperson's question, signed like Twilio; rolplay answers it.
    const before = (await sent()).filter((m) => m.to === SARA).length;
    const say = await runCli(['sandbox', 'say', '--config', config, 'what', 'should', 'I', 'ask', 'Ann?']);
    expect(say.code).toBe(0);
    expect(say.stdout).toContain('Sara Lopez (+14155550123) -> rolplay: what should I ask Ann?');
    await until(async () => (await sent()).filter((m) => m.to === SARA).length > before, 10_000, 'an answer to the question');
    expect((await sent()).at(-1)!.body).not.toMatch(/^How did/);

    // After the meeting: the reminder, her answer, and the note on Ann's HubSpot contact.
    await until(async () => (await sent()).some((m) => m.body.startsWith('How did Acme renewal with Ann Lee go?')), 20_000, 'the reminder');
    expect((await runCli(['sandbox', 'say', '--config', config, 'Done - Ann agreed to a pilot'])).code).toBe(0);
    const notes = await until(async () => {
      const run = await runCli(['sandbox', 'notes', '--json', '--config', config]);
      const list = JSON.parse(run.stdout) as NoteView[];
      return list.length > 0 ? list : undefined;
    }, 10_000, 'the HubSpot note');
    expect(notes[0]!.contacts.map((c) => c.email)).toEqual(['ann.lee@acme.example']);
    expect(notes[0]!.body).toContain('Ann agreed to a pilot');

    // The Twilio simulator reported delivery to the daemon's status callback (signed over the
    // daemon's public URL), and the daemon recorded it.
    const store = await openStore({ dataDir: String(written.dataDir) });
    try {
      await until(async () => (await store.db.selectFrom('messages').select('id').where('delivery_status', '=', 'delivered').execute()).length > 0, 10_000, 'a delivered status recorded by the daemon');
    } finally {
      await store.close();
    }

    sandbox.child.stdin.write('quit\n');
    expect(await Promise.race([sandbox.exited, new Promise((r) => setTimeout(() => r('still running'), 5000))])).toBe(0);
    expect(sandbox.output()).toContain('Sandbox stopped.');
    expect(existsSync(join(String(written.dataDir), 'sandbox-control.json'))).toBe(false);
    const after = await runCli(['sandbox', 'sent', '--config', config]);
    expect(after.code).toBe(1);
    expect(after.stderr).toBe(`rolplay: the sandbox of ${config} is not running: start it with \`rolplay sandbox\`\n`);
  }, 90_000);

  it('stops when its standard input ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolplay-sandbox-'));
    const sandbox = spawnSandbox(['--config-out', join(dir, 'sb.json')]);
    track(sandbox);
    await until(() => sandbox.output().includes('Sandbox ready.'), 15_000, 'the sandbox banner');
    sandbox.child.stdin.end();
    expect(await sandbox.exited).toBe(0);
    expect(sandbox.output()).toContain('Sandbox stopped.');
  }, 40_000);
});
