import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempConfig } from '../helpers/run-cli.js';

const item = (id: string, start: string) => ({
  meeting: { title: `Call ${id}`, start_time: start, end_time: start.replace('T15', 'T16'), organizer: { address: 'sara@company.com' }, meeting_id: id },
  client: { name: 'Ana Ruiz', email: 'ana@acme.com', company: 'Acme', hubspot_contact_id: '501' },
});

describe('rolplay meetings import', () => {
  it('imports each good item, names the item and field of each bad one, and exits 1', async () => {
    const { path, dir } = tempConfig();
    await runCli(['--config', path, 'user', 'add', '--name', 'Sara Lopez', '--email', 'sara@company.com', '--phone', '+14155552671', '--no-welcome']);
    const file = join(dir, 'payload.json');
    writeFileSync(file, JSON.stringify([item('a', '2099-01-06T15:00:00Z'), { meeting: { title: 'Broken' } }, item('b', '2099-01-07T15:00:00Z')]));
    const run = await runCli(['--config', path, 'meetings', 'import', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^item 0: meeting \d+ "Call a": new meeting, plan and reminder scheduled$/m);
    expect(run.stdout).toMatch(/^item 2: meeting \d+ "Call b": new meeting/m);
    expect(run.stdout).toContain('2 of 3 items imported; 1 rejected (see above).');
    expect(run.stderr).toContain('rolplay: item 1: meeting.start_time: expected an ISO 8601 time');
    const list = JSON.parse((await runCli(['--config', path, 'meetings', 'list', '--json'])).stdout);
    expect(list.map((m: { title: string; source: string }) => [m.title, m.source])).toEqual([['Call a', 'import'], ['Call b', 'import']]);
    const again = await runCli(['--config', path, 'meetings', 'import', file, '--json']);
    expect(JSON.parse(again.stdout).map((r: { outcome: string }) => r.outcome)).toEqual(['unchanged', 'rejected', 'unchanged']);
  });

  it('counts a past meeting as skipped, not imported, and says how to bring it over', async () => {
    const { path, dir } = tempConfig();
    await runCli(['--config', path, 'user', 'add', '--name', 'Sara Lopez', '--email', 'sara@company.com', '--phone', '+14155552671', '--no-welcome']);
    const file = join(dir, 'payload.json');
    writeFileSync(file, JSON.stringify([item('a', '2099-01-06T15:00:00Z'), item('old', '2020-01-06T15:00:00Z')]));
    const run = await runCli(['--config', path, 'meetings', 'import', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^item 1: "Call old": skipped \(already ended\)$/m);
    expect(run.stdout).toContain('1 of 2 items imported; 1 skipped (meetings already over: --include-past stores them as history).');
    const list = JSON.parse((await runCli(['--config', path, 'meetings', 'list', '--json'])).stdout);
    expect(list.map((m: { title: string }) => m.title)).toEqual(['Call a']);
  });

  it('--include-past stores past meetings as history: no plan; completed, or awaiting the outcome when it ended within the last day', async () => {
    const { path, dir } = tempConfig();
    await runCli(['--config', path, 'user', 'add', '--name', 'Sara Lopez', '--email', 'sara@company.com', '--phone', '+14155552671', '--no-welcome']);
    const hour = 3_600_000;
    const past = (id: string, endedAgo: number, organizer = 'sara@company.com') => ({
      meeting: { title: `Call ${id}`, start_time: new Date(Date.now() - endedAgo - hour).toISOString(), end_time: new Date(Date.now() - endedAgo).toISOString(), organizer: { address: organizer }, meeting_id: id },
      client: { name: 'Ana Ruiz', email: 'ana@acme.com', company: 'Acme', hubspot_contact_id: '501' },
    });
    const file = join(dir, 'history.json');
    writeFileSync(file, JSON.stringify([past('last-week', 7 * 24 * hour), past('this-morning', 2 * hour), past('stranger', 2 * hour, 'x@elsewhere.com'), item('next', '2099-01-06T15:00:00Z')]));
    const run = await runCli(['--config', path, 'meetings', 'import', file, '--include-past']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^item 0: meeting \d+ "Call last-week": already over: stored as history, completed \(no plan, no reminder\)$/m);
    expect(run.stdout).toMatch(/^item 1: meeting \d+ "Call this-morning": ended within the last day: stored as history, no plan; the reminder asks how it went/m);
    expect(run.stdout).toMatch(/^item 2: meeting \d+ "Call stranger": already over: stored as history, completed/m);
    expect(run.stdout).toContain('4 of 4 items imported. Plans go out when `rolplay start` runs.');

    const list = JSON.parse((await runCli(['--config', path, 'meetings', 'list', '--json'])).stdout) as Array<{ id: number; title: string; status: string; plan: boolean; reminder: boolean }>;
    expect(list.map((m) => [m.title, m.status])).toEqual([['Call last-week', 'completed'], ['Call this-morning', 'scheduled'], ['Call stranger', 'completed'], ['Call next', 'scheduled']]);
    // History is marked by what happened: no plan went out and nobody was asked.
    expect(list.map((m) => [m.plan, m.reminder])).toEqual([[false, false], [false, false], [false, false], [false, false]]);
    const jobs = async (title: string) => {
      const show = await runCli(['--config', path, 'meetings', 'show', String(list.find((m) => m.title === title)!.id), '--json']);
      return (JSON.parse(show.stdout) as { jobs: Array<{ kind: string; status: string }> }).jobs.map((j) => `${j.kind}:${j.status}`);
    };
    expect(await jobs('Call last-week')).toEqual([]);
    expect(await jobs('Call stranger')).toEqual([]);
    expect(await jobs('Call this-morning')).toEqual(['send_reminder:pending']);
    expect((await jobs('Call next')).sort()).toEqual(['prepare_plan:pending', 'send_reminder:pending']);

    const again = await runCli(['--config', path, 'meetings', 'import', file, '--include-past', '--json']);
    expect(JSON.parse(again.stdout).map((r: { outcome: string }) => r.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });

  it('points at the line and column of malformed JSON, and at a missing file, in one line', async () => {
    const { path, dir } = tempConfig();
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{\n  "meeting": {\n    "title": "x",\n  }\n}');
    const run = await runCli(['--config', path, 'meetings', 'import', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.json is not valid JSON at line 4, column 3/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    const missing = await runCli(['--config', path, 'meetings', 'import', join(dir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.json \(no such file\)/);
  });
});
