import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { RolplayError, UsageError, errorMessage } from '../support/errors.js';
import type { SandboxActions } from './sandbox-actions.js';

/**
 * The loopback endpoint through which `rolplay sandbox invite|say|sent|notes` (from any
 * terminal) act on the running sandbox. Where it listens, and the token it wants, are written
 * to `sandbox-control.json` in the sandbox's data folder (owner-only), found through the config
 * the sandbox wrote. Anything else on the machine gets 401.
 */
export const CONTROL_FILE = 'sandbox-control.json';

export interface ControlFile {
  url: string;
  token: string;
  pid: number;
}

type ActionName = keyof SandboxActions;
const ACTIONS: ActionName[] = ['invite', 'say', 'sent', 'notes'];

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

export async function startControlServer(options: {
  actions: SandboxActions;
  dataDir: string;
  port: number;
  /** Told about every action a remote command made (for the sandbox terminal to show). */
  onAction?: (name: ActionName, input: unknown, result: unknown) => void;
}): Promise<ControlServer> {
  const token = randomBytes(24).toString('hex');
  const server = createServer((req, res) => void handle(req, res));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    const given = Buffer.from(String(req.headers.authorization ?? ''));
    const wanted = Buffer.from(`Bearer ${token}`);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return reply(401, { error: 'not authorised' });
    const name = /^\/actions\/([a-z]+)$/.exec(req.url ?? '')?.[1] as ActionName | undefined;
    if (req.method !== 'POST' || !name || !ACTIONS.includes(name)) return reply(404, { error: `no such action: ${req.method} ${req.url}` });
    let input: unknown;
    try {
      input = JSON.parse(await readBody(req));
    } catch (error) {
      return reply(400, { error: `the request is not JSON: ${errorMessage(error)}` });
    }
    try {
      const action = options.actions[name] as (input: unknown) => Promise<unknown>;
      const result = await action(input ?? {});
      options.onAction?.(name, input, result);
      reply(200, { result });
    } catch (error) {
      reply(error instanceof RolplayError ? 400 : 500, { error: errorMessage(error) });
    }
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolveListen());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const file = join(options.dataDir, CONTROL_FILE);
  const content: ControlFile = { url, token, pid: process.pid };
  writeFileSync(file, `${JSON.stringify(content)}\n`, { mode: 0o600 });
  return {
    url,
    async close() {
      rmSync(file, { force: true });
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The actions of the sandbox that wrote `configPath`, over its control endpoint. */
export function remoteActions(configPath: string): SandboxActions {
  const control = readControl(configPath);
  const call = async (name: ActionName, input: unknown): Promise<never> => {
    let res: Response;
    try {
      res = await fetch(`${control.url}/actions/${name}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${control.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new UsageError(`the sandbox of ${configPath} is not running (${control.url}: ${errorMessage(error)}): start it with \`rolplay sandbox\``);
    }
    const body = await res.json().catch(() => ({})) as { result?: unknown; error?: string };
    if (!res.ok) throw new UsageError(body.error ?? `the sandbox answered HTTP ${res.status}`);
    return body.result as never;
  };
  return {
    invite: (input) => call('invite', input),
    say: (input) => call('say', input),
    sent: (input) => call('sent', input),
    notes: () => call('notes', {}),
  };
}

function readControl(configPath: string): ControlFile {
  const path = resolve(configPath);
  let dataDir: unknown;
  try {
    dataDir = (JSON.parse(readFileSync(path, 'utf8')) as { dataDir?: unknown }).dataDir;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UsageError(missing
      ? `no sandbox config at ${path}: start \`rolplay sandbox\` first (or pass --config with the file it wrote)`
      : `${path} is not a config written by \`rolplay sandbox\`: ${errorMessage(error)}`);
  }
  if (typeof dataDir !== 'string') throw new UsageError(`${path} has no dataDir: it was not written by \`rolplay sandbox\``);
  try {
    const control = JSON.parse(readFileSync(join(dataDir, CONTROL_FILE), 'utf8')) as ControlFile;
    if (typeof control.url !== 'string' || typeof control.token !== 'string') throw new Error('incomplete');
    return control;
  } catch {
    throw new UsageError(`the sandbox of ${path} is not running: start it with \`rolplay sandbox\``);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 64 * 1024) req.destroy(new Error('the request is too large'));
    });
    req.on('end', () => resolveBody(text));
    req.on('error', reject);
  });
}
