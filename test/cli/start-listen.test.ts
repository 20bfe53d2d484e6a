import { createServer, type Server } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempConfig } from '../helpers/run-cli.js';
import { explainListenError } from '../../src/cli/listen-error.js';
import { configSchema } from '../../src/config/schema.js';
import { createLogger } from '../../src/support/logger.js';
import { buildApp } from '../../src/daemon/build-app.js';
import { buildDaemonComponents } from '../../src/daemon/daemon-components.js';
import { startDaemon, type Daemon } from '../../src/daemon/start-daemon.js';
import { freshStore, type TestStore } from '../helpers/stores.js';

let blocker: Server | undefined;
let daemon: Daemon | undefined;
let t: TestStore | undefined;
afterEach(async () => {
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
  blocker = undefined;
  await daemon?.stop();
  daemon = undefined;
  await t?.dispose();
  t = undefined;
});

/** A port taken by another listener on 127.0.0.1. */
async function takenPort(): Promise<number> {
  blocker = createServer();
  await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
  return (blocker.address() as { port: number }).port;
}

describe('rolplay start on a port it cannot use', () => {
  it('a port in use set in the file: one line naming address, port and the file, exit 2', async () => {
    const port = await takenPort();
    const { path } = tempConfig({ server: { host: '127.0.0.1', port } });
    const run = await runCli(['--config', path, 'start']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`rolplay: cannot listen on 127.0.0.1:${port}: the address is already in use (another rolplay, or another program, listens there); server.port is set in ${path}: set another port there\n`);
  });

  it.each(['PORT', 'ROLPLAY_SERVER_PORT'])('a port in use from %s names that variable', async (name) => {
    const port = await takenPort();
    const { path } = tempConfig({ server: { host: '127.0.0.1' } });
    const run = await runCli(['--config', path, 'start'], { [name]: String(port) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^rolplay: cannot listen on 127\\.0\\.0\\.1:${port}: the address is already in use .*; server\\.port comes from the ${name} environment variable: set another port there\\n$`));
  });

  it('permission denied (a low port without privileges) says so, naming the default when nothing set it', () => {
    const config = configSchema.parse({});
    const error = Object.assign(new Error('listen EACCES: permission denied 0.0.0.0:80'), { code: 'EACCES', syscall: 'listen', address: '0.0.0.0', port: 80 });
    const explained = explainListenError(error, { config, path: null, sources: {} });
    expect(explained?.exitCode).toBe(2);
    expect(explained?.message).toBe('cannot listen on 0.0.0.0:80: permission denied (ports below 1024 need privileges: use a higher port behind a proxy); server.port is the default (set it in the config file, or PORT / ROLPLAY_SERVER_PORT): set another port there');
    expect(explainListenError(new Error('something else'), { config, path: null, sources: {} })).toBeUndefined();
  });
});

describe('rolplay start says where it listens', () => {
  it('logs the bound address and port and the public webhook URL', async () => {
    t = await freshStore();
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({ write(chunk, _e, cb) { lines.push(JSON.parse(String(chunk)) as Record<string, unknown>); cb(); } });
    const config = configSchema.parse({ server: { host: '127.0.0.1', port: 0, publicUrl: 'https://coach.example.com' } });
    const app = await buildApp({ config, logger: createLogger({ level: 'info', destination }), store: t.store });
    const http = buildDaemonComponents(app).find((c) => c.name === 'http')!;
    daemon = await startDaemon(app, { components: [http] });
    const line = lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('listening on '));
    expect(line?.msg).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+; Twilio webhook URL https:\/\/coach\.example\.com\/whatsapp-webhook$/);
    expect(line?.listening).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    expect(line?.url).toBe('https://coach.example.com/whatsapp-webhook');
  });
});
