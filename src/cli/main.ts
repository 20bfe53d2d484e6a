import { Command, CommanderError } from 'commander';
import { RolplayError, errorMessage } from '../support/errors.js';
import { processIo, type CliIo, type GlobalOptions } from './cli-context.js';
import { startCommand } from './start-command.js';
import { userCommand } from './user-command.js';
import { configCommand } from './config-command.js';
import { meetingsCommand } from './meetings-command.js';
import { doctorCommand } from './doctor-command.js';
import { demoCommand } from './demo-command.js';
import { reportCommand } from './report-command.js';
import { sandboxCommand } from './sandbox-command.js';
import { VERSION } from './version.js';

/** Builds the command tree. Each command group lives in its own file. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('rolplay')
    .description('rolplay: a self-hosted AI sales coach. Outlook meetings in; coaching plans, role-play and follow-ups on WhatsApp; outcomes logged in HubSpot.')
    .version(VERSION, '-V, --version')
    .option('-c, --config <file>', 'config file (default: $ROLPLAY_CONFIG, ./config.json, then ~/.config/rolplay/config.json)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug or trace')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();
  const globals = () => program.opts<GlobalOptions>();
  for (const command of [startCommand(io, globals), userCommand(io, globals), configCommand(io, globals), meetingsCommand(io, globals), reportCommand(io, globals), doctorCommand(io, globals), demoCommand(io, globals), sandboxCommand(io, globals)]) {
    program.addCommand(command);
  }
  for (const command of program.commands) propagate(command, io);
  return program;
}

/** addCommand() does not copy settings: give every sub-command the same output and error handling. */
function propagate(command: Command, io: CliIo): void {
  command.exitOverride().showHelpAfterError('(run with --help for usage)').configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
  });
  for (const sub of command.commands) propagate(sub, io);
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof RolplayError) {
      for (const line of error.message.split('\n')) io.stderr.write(`rolplay: ${line}\n`);
      return error.exitCode;
    }
    io.stderr.write(`rolplay: unexpected error: ${errorMessage(error)}\n`);
    if (io.env.ROLPLAY_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
