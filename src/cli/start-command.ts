import { Command } from 'commander';
import { cliContext, type CliIo, type GlobalOptions } from './cli-context.js';

/** How long SIGINT/SIGTERM waits for in-flight work before exiting anyway. */
const SHUTDOWN_GRACE_MS = 4500;

export function startCommand(io: CliIo, globals: () => GlobalOptions): Command {
  return new Command('start')
    .description('run the daemon: poll the calendar, serve the WhatsApp webhook, run due jobs')
    .option('--once', 'one calendar poll and one pass over due jobs, then exit (for cron and tests)')
    .action(async (opts: { once?: boolean }) => {
      const ctx = cliContext(globals(), io);
      // Loaded here, not at the top: they pull in every SDK, which other commands do not need.
      const { buildApp } = await import('../daemon/build-app.js');
      const { runOnce, startDaemon } = await import('../daemon/start-daemon.js');
      const app = await buildApp({ config: ctx.config, logger: ctx.logger });
      if (opts.once) {
        try {
          await runOnce(app);
        } finally {
          await app.close();
        }
        return;
      }
      let daemon;
      try {
        daemon = await startDaemon(app);
      } catch (error) {
        await app.close();
        throw error;
      }
      await new Promise<void>((resolve) => {
        let signalled = false;
        const onSignal = (signal: NodeJS.Signals) => {
          if (signalled) {
            ctx.logger.warn({ signal }, 'second signal: exiting now');
            process.exit(130);
          }
          signalled = true;
          ctx.logger.info({ signal }, 'shutting down: finishing in-flight work');
          const timer = setTimeout(() => {
            ctx.logger.warn('in-flight work did not finish in time; exiting (unfinished jobs resume after restart)');
            process.exit(0);
          }, SHUTDOWN_GRACE_MS);
          timer.unref();
          void daemon.stop().then(() => app.close()).finally(() => {
            clearTimeout(timer);
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
            resolve();
          });
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
    });
}
