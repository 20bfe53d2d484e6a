import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliFloors } from '../../src/bench/cli-floors.js';
import { openStore } from '../../src/store/open-store.js';
import { runCli, tempConfig } from '../helpers/run-cli.js';
import { seedMeetings } from '../helpers/seed-meetings.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the CLI bench\'s floors', () => {
  it('write what `meetings list --json` and the plain table write (the table without its header)', async () => {
    const { dir, path } = tempConfig();
    dirs.push(dir);
    const dataDir = join(dir, 'data');
    const store = await openStore({ dataDir });
    await seedMeetings(store);
    await store.close();
    const [json, table] = cliFloors();
    const run = (argv: string[]) => spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env: { ...process.env, ROLPLAY_CONFIG: path } });
    const env = { ROLPLAY_CONFIG: path };

    const floorJson = run(json!.argv!(dataDir));
    expect(floorJson.stderr).toBe('');
    expect(floorJson.stdout).toBe((await runCli(['meetings', 'list', '--json'], env)).stdout);

    const floorTable = run(table!.argv!(dataDir));
    expect(floorTable.stderr).toBe('');
    const cliTable = (await runCli(['meetings', 'list', '--no-tui'], env)).stdout;
    expect(floorTable.stdout).toBe(cliTable.slice(cliTable.indexOf('\n') + 1));
    expect(floorTable.stdout.split('\n')).toHaveLength(5);
  });
});
