import { z } from 'zod';
import type { JobHandler, RunnableJob } from '../../src/lifecycle/jobs/job-contract.js';
import { jobKind, type JobKind, type JobLane } from '../../src/lifecycle/jobs/job-kind.js';

/** A kind for runner tests: any object payload, in `lane`. */
export function testKind(name: string, lane: JobLane = 'timely'): JobKind<Record<string, unknown>> {
  return jobKind({ name, payload: z.record(z.string(), z.unknown()), lane, priority: 1 });
}

/** Ad-hoc handlers by kind name as the runner's jobs (all in one lane unless `lanes` says otherwise). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function testJobs(handlers: Record<string, JobHandler<any> | undefined>, lanes: Record<string, JobLane> = {}): RunnableJob[] {
  return Object.entries(handlers).map(([name, handle]) => ({ kind: testKind(name, lanes[name]), handle }) as RunnableJob);
}
