import { errorMessage } from '../support/errors.js';
import type { App } from './build-app.js';
import type { DaemonComponent } from './daemon-component.js';
import { buildDaemonComponents } from './daemon-components.js';
import type { JobFailure } from './job-runner.js';

export interface Daemon {
  /** Stops taking work, lets in-flight work finish, then resolves. */
  stop(): Promise<void>;
}

export interface StartDaemonOptions {
  components?: DaemonComponent[];
}

/** `rolplay start`: every component plus the job runner, until stop(). */
export async function startDaemon(app: App, options: StartDaemonOptions = {}): Promise<Daemon> {
  const { logger } = app.services;
  const components = options.components ?? buildDaemonComponents(app);
  const started: DaemonComponent[] = [];
  try {
    for (const component of components) {
      await component.start();
      started.push(component);
    }
  } catch (error) {
    for (const component of started.reverse()) await component.stop().catch(() => undefined);
    throw error;
  }
  app.runner.start();
  logger.info({ components: components.map((c) => c.name), jobKinds: app.runner.kinds, store: app.services.store.location }, 'rolplay started');
  if (app.runner.waitingKinds.length > 0) logger.info({ jobKinds: app.runner.waitingKinds }, 'these jobs wait until the service they need is configured');
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        // The runner stops claiming first: no new job starts while the listener drains (work
        // queued meanwhile waits in the store for the next start); in-flight jobs run on.
        const jobsDone = app.runner.stop();
        for (const component of [...started].reverse()) {
          try {
            await component.stop();
          } catch (error) {
            logger.error({ component: component.name, err: errorMessage(error) }, 'component did not stop cleanly');
          }
        }
        await jobsDone;
        logger.info('rolplay stopped');
      })();
      return stopping;
    },
  };
}

/**
 * `rolplay start --once`: one unit of work per component (one poll), then every due job.
 * `failures` has one line per thing that failed (the poll, each job whose attempt failed).
 */
export async function runOnce(app: App, options: StartDaemonOptions = {}): Promise<{ jobs: number; failures: string[] }> {
  const components = options.components ?? buildDaemonComponents(app);
  const failures: string[] = [];
  for (const component of components) {
    const failure = component.runOnce ? await component.runOnce() : undefined;
    if (failure) failures.push(failure);
  }
  const failedJobs: JobFailure[] = [];
  const jobs = await app.runner.runDue(failedJobs);
  for (const f of failedJobs) {
    failures.push(`job #${f.id} (${f.kind}) failed${f.outcome === 'retry' ? ' and will be retried' : ' for good'}: ${f.error ?? 'no error recorded'}`);
  }
  app.services.logger.info({ jobs, failures: failures.length }, 'one pass done');
  return { jobs, failures };
}
