import { dirname, join, relative, resolve } from 'node:path';
import { createLogger } from '../support/logger.js';
import { startSandboxWorld, type SandboxWorld } from '../sandbox-world/sandbox-world.js';
import { localActions, type SentMessage } from '../sandbox-world/sandbox-actions.js';
import { startControlServer } from '../sandbox-world/sandbox-control.js';
import { SANDBOX_BOT, SANDBOX_CLIENTS, SANDBOX_COLLEAGUE, SANDBOX_SELLER, sandboxNameOf } from '../sandbox-world/sandbox-people.js';
import { print, type CliIo, type GlobalOptions } from './cli-context.js';
import { DEFAULT_SANDBOX_CONFIG, type SandboxOptions } from './sandbox-command.js';
import { inviteLines, sayLines, sentLines } from './sandbox-format.js';
import { REPL_HELP, startRepl } from './sandbox-repl.js';

/**
 * One `rolplay sandbox` session: starts the world, prints where everything is, shows each
 * WhatsApp message rolplay sends as the Twilio simulator receives it, takes commands from the
 * prompt and the control endpoint, and stops on quit, end of input, Ctrl-C or SIGTERM.
 */
export async function runSandboxSession(io: CliIo, globals: GlobalOptions, opts: SandboxOptions): Promise<void> {
  const configPath = resolve(io.cwd, opts.configOut ?? globals.config ?? DEFAULT_SANDBOX_CONFIG);
  const dataDir = resolve(io.cwd, opts.dataDir ?? join(dirname(configPath), 'rolplay-sandbox-data'));
  const portBase = opts.portBase === undefined ? undefined : Number(opts.portBase);
  const logger = createLogger({ level: globals.logLevel ?? io.env.ROLPLAY_LOG_LEVEL ?? 'silent', pretty: false });
  const world = await startSandboxWorld({ configPath, dataDir, portBase, logger });
  const stops: Array<() => Promise<unknown> | unknown> = [() => world.close()];
  try {
    const actions = localActions(world);
    let out = (line?: string) => print(io, line);
    const control = await startControlServer({
      actions, dataDir, port: world.ports.control,
      onAction(name, input, result) {
        const lines = name === 'invite' ? inviteLines(result as Parameters<typeof inviteLines>[0])
          : name === 'say' ? sayLines(result as Parameters<typeof sayLines>[0], String((input as { text?: unknown }).text ?? ''))
            : [];
        for (const line of lines) out(line);
      },
    });
    stops.unshift(() => control.close());
    const shown = (path: string) => (relative(io.cwd, path).startsWith('..') ? path : relative(io.cwd, path) || path);
    const info = () => bannerLines(world, control.url, shown(configPath));
    for (const line of info()) out(line);

    let stop!: () => void;
    const stopped = new Promise<void>((r) => { stop = r; });
    const onSignal = () => stop();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    stops.unshift(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
    if (opts.input) {
      const repl = startRepl({ input: process.stdin, output: io.stdout, actions, info });
      out = (line?: string) => repl.print(line);
      void repl.done.then(stop);
      stops.unshift(() => repl.close());
      for (const line of ['', ...REPL_HELP]) out(line);
    } else {
      out('Reading no commands here (--no-input): use `rolplay sandbox invite|say|sent|notes`; Ctrl-C stops the sandbox.');
    }
    out('Sandbox ready.');
    const timers = startFeed(world, (line) => out(line));
    stops.unshift(() => timers.forEach(clearInterval));
    await stopped;
    out(`Sandbox stopped. Its store stays in ${shown(dataDir)} (the next \`rolplay sandbox\` empties it); stop \`rolplay start\` too.`);
  } finally {
    for (const fn of stops) await Promise.resolve().then(fn).catch(() => undefined);
  }
}

/**
 * Prints each message rolplay sends, as the Twilio simulator accepts it. Also plays the parts
 * of Twilio that happen later: queued messages are delivered and their status callbacks posted
 * to the daemon every second (Twilio's "Message status values" and "Track the message status of
 * outbound messages" pages: queued -> sent -> delivered, each change POSTed to StatusCallback).
 * The simulators' request logs (kept for tests) are emptied as they go.
 */
function startFeed(world: SandboxWorld, out: (line: string) => void): NodeJS.Timeout[] {
  let seen = 0;
  const feed = setInterval(() => {
    const messages = world.twilio.messages;
    for (; seen < messages.length; seen++) {
      const m = messages[seen]!;
      const view: SentMessage = {
        sid: m.sid, at: new Date(m.dateCreated).toISOString(), to: m.to.replace(/^whatsapp:/, ''), name: sandboxNameOf(m.to) ?? null,
        status: m.status, errorCode: m.errorCode, body: m.body, contentSid: m.contentSid,
      };
      for (const line of sentLines(view, false)) out(line);
    }
  }, 200);
  let settling = false;
  const settle = setInterval(() => {
    if (settling) return;
    settling = true;
    for (const sim of [world.tokens.sim, world.graph.sim, world.twilio, world.hubspot.sim, world.gemini.sim]) sim.requests.length = 0;
    world.gemini.calls.length = 0;
    void world.twilio.settle().catch(() => undefined).finally(() => { settling = false; });
  }, 1000);
  return [feed, settle];
}

function bannerLines(world: SandboxWorld, controlUrl: string, config: string): string[] {
  const clients = SANDBOX_CLIENTS.map((c) => `${c.name} <${c.email}> (${c.company})`).join(', ');
  return [
    'rolplay sandbox: simulated Microsoft 365, Twilio, HubSpot and Gemini on this machine.',
    `  Microsoft token  ${world.tokens.url}`,
    `  Microsoft Graph  ${world.graph.url}  calendar of ${SANDBOX_BOT}`,
    `  Twilio           ${world.twilio.url}  WhatsApp; its status callbacks go to rolplay`,
    `  HubSpot          ${world.hubspot.url}  contacts ${clients}`,
    `  Gemini           ${world.gemini.url}  a scripted model`,
    `  control          ${controlUrl}  for \`rolplay sandbox invite|say|sent|notes\``,
    `Config: ${config} (store in ${world.dataDir}, emptied at every start)`,
    `Salesperson: ${SANDBOX_SELLER.name} <${SANDBOX_SELLER.email}>, WhatsApp ${SANDBOX_SELLER.phone}, registered (her welcome goes out when rolplay starts).`,
    `Not registered: ${SANDBOX_COLLEAGUE.email} (invitations he sends are unmatched until: rolplay user add --config ${config} --name "${SANDBOX_COLLEAGUE.name}" --email ${SANDBOX_COLLEAGUE.email} --phone ${SANDBOX_COLLEAGUE.phone})`,
    '',
    `Next, in a second terminal: rolplay start --config ${config}   (it listens on ${world.daemonUrl})`,
    `and in a third:             rolplay meetings list --config ${config}`,
    'Then act on the world: invite --in 2m --for 3m   then   say what should I ask Ann?',
  ];
}
