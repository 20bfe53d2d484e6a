import { resolve } from 'node:path';
import { Command } from 'commander';
import { print, type CliIo, type GlobalOptions } from './cli-context.js';
import { sandboxActionCommands } from './sandbox-action-commands.js';

export const DEFAULT_SANDBOX_CONFIG = 'rolplay-sandbox.json';

export interface SandboxOptions {
  configOut?: string;
  dataDir?: string;
  portBase?: string;
  input: boolean;
}

/**
 * `rolplay sandbox`: the simulated outside world for trying `rolplay start` by hand. Like the
 * demo it needs no config; the simulators and SDKs load only when it runs.
 */
export function sandboxCommand(io: CliIo, globals: () => GlobalOptions): Command {
  const command = new Command('sandbox')
    .description('run simulated Microsoft 365, Twilio, HubSpot and Gemini on this machine, write a config pointing rolplay at them, and act as the outside world (invitations, WhatsApp messages) while `rolplay start` runs against it')
    .option('--config-out <file>', `where to write the config for \`rolplay start --config\` (default: --config, else ./${DEFAULT_SANDBOX_CONFIG})`)
    .option('--data-dir <dir>', 'the sandbox\'s store, emptied at every start (default: rolplay-sandbox-data beside the config)')
    .option('--port-base <port>', 'fixed ports: the daemon on this one, the control endpoint on the next, the simulators on the five after (default: free ports)')
    .option('--no-input', 'do not read commands from standard input: run until Ctrl-C or SIGTERM, and act with `rolplay sandbox invite|say|sent|notes`')
    .addHelpText('after', [
      '',
      'Then, in a second terminal: rolplay start --config rolplay-sandbox.json',
      'and in a third:             rolplay meetings list --config rolplay-sandbox.json',
      'Act on the world at the sandbox\'s prompt (type help), or from any terminal with the commands',
      `above: they act on the sandbox that wrote --config (default ./${DEFAULT_SANDBOX_CONFIG}).`,
    ].join('\n'))
    .action(async (opts: SandboxOptions) => {
      const { runSandboxSession } = await import('./sandbox-session.js');
      await runSandboxSession(io, globals(), opts);
    });
  const configPath = () => resolve(io.cwd, globals().config ?? DEFAULT_SANDBOX_CONFIG);
  const remote = {
    actions: async () => (await import('../sandbox-world/sandbox-control.js')).remoteActions(configPath()),
    print: (line?: string) => print(io, line),
  };
  for (const sub of sandboxActionCommands(remote)) command.addCommand(sub);
  return command;
}
