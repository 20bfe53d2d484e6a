import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandboxWorld, type SandboxWorld } from '../../src/sandbox-world/sandbox-world.js';
import { loadConfig } from '../../src/config/load-config.js';
import { openStore } from '../../src/store/open-store.js';
import { silentLogger } from '../../src/support/logger.js';
import { freePort } from '../../src/support/free-port.js';

let world: SandboxWorld | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
  await new Promise((r) => (blocker ? blocker.close(r) : r(undefined)));
  blocker = undefined;
});

const paths = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolplay-sbworld-'));
  return { configPath: join(dir, 'rolplay-sandbox.json'), dataDir: join(dir, 'data') };
};

describe('sandbox world', () => {
  it('writes an owner-only config that rolplay loads as is, pointing at the simulators, with Sara registered and her welcome queued', async () => {
    world = await startSandboxWorld({ ...paths(), logger: silentLogger() });
    expect(statSync(world.configPath).mode & 0o777).toBe(0o600);
    const { config } = loadConfig({ configPath: world.configPath, env: {}, cwd: tmpdir() });
    expect(config.microsoft.graphBaseUrl).toBe(world.graph.url);
    expect(config.twilio.apiBaseUrl).toBe(world.twilio.url);
    expect(config.hubspot.basePath).toBe(world.hubspot.url);
    expect(config.gemini.baseUrl).toBe(world.gemini.url);
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: world.ports.daemon, publicUrl: world.daemonUrl });
    expect(config.dataDir).toBe(world.dataDir);
    expect(world.hubspot.records('contacts').map((c) => c.properties.email)).toEqual(['ann.lee@acme.example', 'bo.stone@globex.example']);
    const store = await openStore({ dataDir: world.dataDir });
    try {
      expect((await store.users.list()).map((u) => [u.email, u.phone])).toEqual([['sara@sandbox.example', '+14155550123']]);
      expect((await store.jobs.list()).map((j) => [j.kind, j.status])).toEqual([['send_whatsapp', 'pending']]);
    } finally {
      await store.close();
    }
  });

  it('refuses a --port-base whose ports are taken, or out of range, in one line', async () => {
    const base = await freePort();
    blocker = createServer();
    await new Promise<void>((r) => blocker!.listen(base + 3, '127.0.0.1', () => r()));
    await expect(startSandboxWorld({ ...paths(), portBase: base, logger: silentLogger() }))
      .rejects.toThrow(new RegExp(`^a port from ${base} to ${base + 6} is in use \\(listen EADDRINUSE.*\\): choose another --port-base, or leave it out for free ports$`));
    await expect(startSandboxWorld({ ...paths(), portBase: 80, logger: silentLogger() })).rejects.toThrow('--port-base: expected a port from 1024 to 65528');
  });

  it('refuses to wipe the folder of a sandbox that is still running', async () => {
    const { dataDir } = paths();
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'ROLPLAY-SANDBOX'), '');
    // Another live process (the test runner's parent) holds the control file.
    writeFileSync(join(dataDir, 'sandbox-control.json'), JSON.stringify({ url: 'http://127.0.0.1:1', token: 'x', pid: process.ppid }));
    await expect(startSandboxWorld({ configPath: join(dataDir, '..', 'other.json'), dataDir, logger: silentLogger() }))
      .rejects.toThrow(`a sandbox (pid ${process.ppid}) is running on ${dataDir}: quit it first, or give this one another --config-out or --data-dir`);
    expect(existsSync(join(dataDir, 'sandbox-control.json'))).toBe(true);
  });

  it('refuses to wipe a folder it did not create', async () => {
    const { configPath, dataDir } = paths();
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'notes.txt'), 'mine');
    await expect(startSandboxWorld({ configPath, dataDir, logger: silentLogger() }))
      .rejects.toThrow(`${dataDir} exists and is not a rolplay sandbox folder: choose another with --data-dir (the sandbox wipes its folder at every start)`);
    expect(readFileSync(join(dataDir, 'notes.txt'), 'utf8')).toBe('mine');
  });
});
