import { constants as osConstants } from 'node:os';
import { Command } from 'commander';
import { RolplayError, errorMessage } from '../support/errors.js';
import { cliContext, type CliIo, type GlobalOptions } from './cli-context.js';
import { explainListenError } from './listen-error.js';

/**
 * How long SIGINT/SIGTERM waits for in-flight work before exiting anyway: under the 5 s that
 * service managers and container runtimes commonly allow before SIGKILL, with room to exit.
 */
const SHUTDOWN_GRACE_MS = 4000;

export function startCommand(io: CliIo, globals: () => GlobalOptions): Command {
  return new Command('start')
    .description('run the daemon: poll the calendar, serve the WhatsApp webhook, run due jobs')
    .option('--once', 'one calendar poll and one pass over due jobs, then exit (for cron and tests)')
    .action(async (opts: { once?: boolean }) => {
      const ctx = await cliContext(globals(), io, undefined, { daemon: true });
      // Loaded here, not at the top: they pull in every SDK, which other commands do not need.
      const { buildApp } = await import('../daemon/build-app.js');
      const { runOnce, startDaemon } = await import('../daemon/start-daemon.js');
      const app = await buildApp({ config: ctx.config, logger: ctx.logger, serveMetrics: !opts.once });
      if (opts.once) {
        let failures: string[];
        try {
          ({ failures } = await runOnce(app));
        } finally {
          await app.close();
        }
        // Exit 1 so cron (or a systemd timer) notices; the log has the details.
        if (failures.length > 0) throw new RolplayError(failures.map((f) => `start --once: ${f}`).join('\n'), { code: 'ONCE_FAILED', exitCode: 1 });
        return;
      }
      let daemon;
      try {
        daemon = await startDaemon(app);
      } catch (error) {
        await app.close();
        throw explainListenError(error, ctx.loaded) ?? error;
      }
      await new Promise<void>((resolve) => {
        let signalled = false;
        const onSignal = (signal: NodeJS.Signals) => {
          if (signalled) {
            ctx.logger.warn({ signal, unfinishedJobs: app.runner.inFlightJobs }, 'second signal: exiting now (unfinished jobs resume after restart)');
            process.exit(128 + (osConstants.signals[signal] ?? 2));
          }
          signalled = true;
          ctx.logger.info({ signal, inFlightJobs: app.runner.inFlightJobs }, 'shutting down: finishing in-flight work');
          // Unfinished jobs keep their lease until it runs out, then any instance resumes them
          // (a send first checks Twilio's log). Releasing the lease now would let another
          // instance resend while this one's request may still land.
          const timer = setTimeout(() => {
            ctx.logger.warn({ unfinishedJobs: app.runner.inFlightJobs, graceMs: SHUTDOWN_GRACE_MS }, 'in-flight work did not finish in time; exiting (unfinished jobs resume after restart)');
            ctx.logger.info('rolplay stopped');
            process.exit(0);
          }, SHUTDOWN_GRACE_MS);
          timer.unref();
          void daemon.stop().then(() => app.close()).catch((error: unknown) => {
            ctx.logger.error({ err: errorMessage(error) }, 'shutdown did not complete cleanly');
          }).finally(() => {
            clearTimeout(timer);
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
            // An SDK's idle keep-alive socket can hold the event loop open: do not wait on it.
            setTimeout(() => process.exit(process.exitCode ?? 0), 250).unref();
            resolve();
          });
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
    });
}
