import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configSchema } from '../config/schema.js';
import type { Logger } from '../support/logger.js';
import { freePort } from '../support/free-port.js';
import { UsageError } from '../support/errors.js';
import { buildApp } from '../daemon/build-app.js';
import { registerUser } from '../lifecycle/users/register-user.js';
import { startMicrosoftTokenSimulator, type TokenSim } from '../sandbox/microsoft-token-simulator.js';
import { startGraphSimulator, type GraphSim } from '../sandbox/graph-simulator.js';
import { startTwilioSimulator, type TwilioSim } from '../sandbox/twilio-simulator.js';
import { startHubspotSimulator, type HubspotSim } from '../sandbox/hubspot-simulator.js';
import { startGeminiSimulator, type GeminiSim } from '../sandbox/gemini-simulator.js';
import { CONTROL_FILE } from './sandbox-control.js';
import { SANDBOX_BOT, SANDBOX_DOMAIN, SANDBOX_ADMIN, SANDBOX_CLIENTS, SANDBOX_SELLER } from './sandbox-people.js';

/** Marks a data folder as the sandbox's own, so a new session may wipe it (and never anything else). */
const MARKER = 'ROLPLAY-SANDBOX';

export interface SandboxWorldOptions {
  /** Where the config for `rolplay start --config` is written. */
  configPath: string;
  /** The store of this sandbox (wiped at every start). */
  dataDir: string;
  /** Fixed ports: the daemon on base, the control endpoint on base+1, the simulators on base+2..base+6. */
  portBase?: number;
  logger: Logger;
}

export interface SandboxPorts {
  daemon: number;
  control: number;
  tokens: number;
  graph: number;
  twilio: number;
  hubspot: number;
  gemini: number;
}

/**
 * The outside world of `rolplay sandbox`: the five simulators on loopback ports, HubSpot
 * seeded with two client companies, a config file pointing rolplay at all of them (the daemon
 * on a loopback port that is also its public URL, so Twilio's signatures and status callbacks
 * reach it), and one registered salesperson whose welcome message waits for `rolplay start`.
 */
export interface SandboxWorld {
  configPath: string;
  dataDir: string;
  ports: SandboxPorts;
  /** http://127.0.0.1:PORT: where `rolplay start` listens and what it believes its public URL is. */
  daemonUrl: string;
  tokens: TokenSim;
  graph: GraphSim;
  twilio: TwilioSim;
  hubspot: HubspotSim;
  gemini: GeminiSim;
  /** HubSpot contact ids by client email. */
  contacts: Map<string, string>;
  close(): Promise<void>;
}

export async function startSandboxWorld(options: SandboxWorldOptions): Promise<SandboxWorld> {
  prepareDataDir(options.dataDir);
  const wanted = portsFrom(options.portBase);
  const cleanup: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
  };
  try {
    const tokens = await startMicrosoftTokenSimulator({ port: wanted?.tokens });
    cleanup.push(() => tokens.close());
    const graph = await startGraphSimulator({ botEmail: SANDBOX_BOT, tokens, port: wanted?.graph });
    cleanup.push(() => graph.close());
    const twilio = await startTwilioSimulator({ friendlyName: 'rolplay sandbox', port: wanted?.twilio });
    cleanup.push(() => twilio.close());
    const hubspot = await startHubspotSimulator({ port: wanted?.hubspot });
    cleanup.push(() => hubspot.close());
    const gemini = await startGeminiSimulator({ port: wanted?.gemini });
    cleanup.push(() => gemini.close());

    const ports: SandboxPorts = {
      daemon: wanted?.daemon ?? await freePort(),
      // The control endpoint listens on port 0 when no base is given (see sandbox-control.ts).
      control: wanted?.control ?? 0,
      tokens: tokens.sim.port, graph: graph.sim.port, twilio: twilio.port, hubspot: hubspot.sim.port, gemini: gemini.sim.port,
    };
    const contacts = new Map<string, string>();
    for (const client of SANDBOX_CLIENTS) {
      const company = hubspot.addCompany({ name: client.company, domain: client.email.split('@')[1]! });
      const [firstname, ...last] = client.name.split(' ');
      contacts.set(client.email, hubspot.addContact({ email: client.email, firstname: firstname!, lastname: last.join(' '), jobtitle: client.jobTitle }, company));
    }

    const daemonUrl = `http://127.0.0.1:${ports.daemon}`;
    const file = {
      bot: { email: SANDBOX_BOT },
      dataDir: options.dataDir,
      // The daemon's own loopback address is its public URL: the Twilio simulator signs over it
      // and posts status callbacks to it, as Twilio does to server.publicUrl.
      server: { host: '127.0.0.1', port: ports.daemon, publicUrl: daemonUrl },
      microsoft: {
        tenantId: tokens.tenantId, clientId: tokens.clientId, clientSecret: tokens.clientSecret,
        authorityHost: tokens.url, graphBaseUrl: graph.url, pollSeconds: 2, internalDomains: [SANDBOX_DOMAIN],
      },
      gemini: { apiKey: gemini.apiKey, baseUrl: gemini.url },
      twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url },
      hubspot: { accessToken: hubspot.token, basePath: hubspot.url },
      admin: { whatsapp: SANDBOX_ADMIN.phone },
      schedule: { planLeadHours: 0, reminderDelayMinutes: 1 },
    };
    const config = configSchema.parse(file);
    mkdirSync(dirname(options.configPath), { recursive: true });
    // Simulator credentials only, but a config file holds secrets: owner-only, as rolplay's own.
    writeFileSync(options.configPath, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    chmodSync(options.configPath, 0o600);

    // Registered through the same use case as `rolplay user add`: the welcome is a queued job
    // that the daemon sends once it starts.
    const app = await buildApp({ config, logger: options.logger });
    try {
      await registerUser(app.services, { ...SANDBOX_SELLER, welcome: true });
    } finally {
      await app.close();
    }
    return { configPath: options.configPath, dataDir: options.dataDir, ports, daemonUrl, tokens, graph, twilio, hubspot, gemini, contacts, close };
  } catch (error) {
    await close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' && wanted) throw new UsageError(`a port from ${wanted.daemon} to ${wanted.gemini} is in use (${(error as Error).message}): choose another --port-base, or leave it out for free ports`, { cause: error });
    throw error;
  }
}

/** A fresh store each session (the simulators start empty too); refuses a folder that is not the sandbox's. */
function prepareDataDir(dataDir: string): void {
  if (existsSync(dataDir)) {
    const entries = readdirSync(dataDir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new UsageError(`${dataDir} exists and is not a rolplay sandbox folder: choose another with --data-dir (the sandbox wipes its folder at every start)`);
    }
    const running = runningSandboxPid(dataDir);
    if (running !== undefined) throw new UsageError(`a sandbox (pid ${running}) is running on ${dataDir}: quit it first, or give this one another --config-out or --data-dir`);
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dataDir, MARKER), 'This folder belongs to `rolplay sandbox`, which empties it at every start.\n');
}

/** The pid of a live sandbox whose control file is in dataDir, if any. */
function runningSandboxPid(dataDir: string): number | undefined {
  let pid: unknown;
  try {
    pid = (JSON.parse(readFileSync(join(dataDir, CONTROL_FILE), 'utf8')) as { pid?: unknown }).pid;
  } catch {
    return undefined;
  }
  if (typeof pid !== 'number' || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/** Fixed ports from --port-base, or undefined: each simulator then takes a free port. */
function portsFrom(base: number | undefined): SandboxPorts | undefined {
  const names = ['daemon', 'control', 'tokens', 'graph', 'twilio', 'hubspot', 'gemini'] as const;
  if (base === undefined) return undefined;
  if (!Number.isInteger(base) || base < 1024 || base > 65535 - names.length) {
    throw new UsageError(`--port-base: expected a port from 1024 to ${65535 - names.length} (the sandbox uses it and the next ${names.length - 1})`);
  }
  return Object.fromEntries(names.map((name, i) => [name, base + i])) as unknown as SandboxPorts;
}
