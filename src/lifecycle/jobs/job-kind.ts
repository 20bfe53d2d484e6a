import type { z } from 'zod';

/**
 * A lane is a pool of job slots with its own concurrency, claimed on its own: a backlog in one
 * lane (10,000 inbound messages to answer) never delays the jobs of another (a reminder due
 * now). A lane whose service is not configured is not claimed at all, so its jobs wait instead
 * of burning their attempts.
 */
export type JobLane = 'conversation' | 'whatsapp' | 'plans' | 'outcomes' | 'timely' | 'crm' | 'calendar';

/** 0 = urgent: claimed before every normal job of its lane that is due. */
export type JobPriority = 0 | 1;

/** What a kind of job is: its name in the table, its payload's schema, where and how it runs. */
export interface JobKind<P> {
  readonly name: string;
  /** Checked when a job is enqueued and again when it is claimed (old rows, hand edits). */
  readonly payload: z.ZodType<P>;
  readonly lane: JobLane;
  /** Default priority of its jobs (a request may override it). */
  readonly priority: JobPriority;
  /** Attempts before giving up; default config.jobs.maxAttempts. */
  readonly maxAttempts?: number;
  /** False for jobs whose failure must not alert the admin (an admin alert that failed). */
  readonly alertOnFailure?: (payload: P) => boolean;
}

export function jobKind<P>(kind: JobKind<P>): JobKind<P> {
  return kind;
}

/** One job to enqueue: its kind and typed payload, and the key that makes it happen once. */
export interface JobRequest<P> {
  kind: JobKind<P>;
  payload: P;
  /** One job per side effect: enqueueing the same key again returns the existing job. */
  dedupeKey: string;
  /** Epoch ms; default now. */
  runAt?: number;
  meetingId?: number | null;
  maxAttempts?: number;
  priority?: JobPriority;
  /**
   * Jobs sharing a queue key run one at a time, in the order they were enqueued, whichever
   * daemon enqueued or claims them (a salesperson's messages: `conversation:<phone>`).
   */
  queueKey?: string;
}

/** Builds a request with the payload's type checked against its kind. */
export function jobRequest<P>(kind: JobKind<P>, payload: P, options: Omit<JobRequest<P>, 'kind' | 'payload'>): JobRequest<P> {
  return { kind, payload, ...options };
}
