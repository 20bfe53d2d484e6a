import { Command } from 'commander';
import { createLogger } from '../support/logger.js';
import { RolplayError, errorMessage } from '../support/errors.js';
import { print, requestedLogLevel, type CliIo, type GlobalOptions } from './cli-context.js';

/**
 * `rolplay demo`: needs no config at all (it is the first command after install); the
 * simulators and the SDKs load only here.
 */
export function demoCommand(io: CliIo, globals: () => GlobalOptions): Command {
  return new Command('demo')
    .description('watch one meeting\'s whole lifecycle in a few seconds, against local simulators on a temporary store (no config, no accounts, nothing leaves this machine)')
    .action(async () => {
      const { runDemo } = await import('../demo/run-demo.js');
      const level = requestedLogLevel(globals(), io.env) ?? 'silent';
      print(io, 'rolplay demo: a salesperson registers, invites the bot to a client meeting, gets a coaching plan,');
      print(io, 'asks a question, role-plays, and after the meeting answers the reminder; the outcome lands in HubSpot.');
      print(io, 'Simulated Microsoft Graph (and its token endpoint), Twilio, HubSpot and Gemini run on this machine,');
      print(io, 'driven by the real SDK clients; hours pass on a compressed clock.');
      try {
        const result = await runDemo({
          logger: createLogger({ level, human: io.stderr }),
          print: (line = '') => print(io, line),
          geminiApiKey: io.env.GEMINI_API_KEY || undefined,
          geminiModel: io.env.GEMINI_MODEL || undefined,
        });
        print(io);
        print(io, `Demo finished in ${(result.elapsedMs / 1000).toFixed(1)} s (${Math.round(result.simulatedMs / 60_000)} minutes of simulated time).`);
        print(io, 'Next: copy config.example.json to config.json, fill in your accounts, run `rolplay doctor`, then `rolplay start`.');
      } catch (error) {
        throw new RolplayError(`the demo stopped: ${errorMessage(error)}${io.env.GEMINI_API_KEY ? ' (GEMINI_API_KEY is set: unset it to run on the simulator)' : ''}`, { cause: error });
      }
    });
}
