import type { JobLane } from '../lifecycle/jobs/job-kind.js';
import { configSchema } from '../config/schema.js';
import type { RunnableJob } from '../lifecycle/jobs/job-contract.js';

/** Where rows of a kind no running version knows, or written before lanes existed, wait. */
export const DEFAULT_LANE = 'default';

/**
 * Jobs of each lane run at once in one process (jobs.concurrency). Conversation turns and their
 * replies are many and short; plans and outcomes wait on Gemini (whose own limit is
 * gemini.concurrency); the timely lane (reminders, alerts) is never behind a backlog of chat.
 */
export const LANE_CONCURRENCY: Record<JobLane, number> = configSchema.shape.jobs.parse({}).concurrency;

interface LaneState {
  concurrency: number;
  running: number;
  /** Claim here on the next tick (something was enqueued, finished or fell due). */
  dirty: boolean;
  /** Counts marks, so a mark made while a claim was in flight is not lost when it returns. */
  marks: number;
  /** Earliest known moment a job of the lane becomes claimable; undefined = nothing known. */
  nextAt: number | undefined;
}

/**
 * The runner's bookkeeping per lane: free slots, which lanes to look at, when to look next.
 * A lane is runnable only when every kind in it has a handler here: a kind whose service is not
 * configured keeps its lane's jobs pending (visible in `doctor`) instead of failing them.
 */
export class JobLanes {
  private readonly lanes = new Map<string, LaneState>();
  readonly idle: string[] = [];

  constructor(jobs: RunnableJob[], concurrency: Partial<Record<string, number>> = {}) {
    const byLane = new Map<string, RunnableJob[]>();
    for (const job of jobs) byLane.set(job.kind.lane, [...(byLane.get(job.kind.lane) ?? []), job]);
    for (const [lane, kinds] of byLane) {
      if (kinds.some((k) => !k.handle)) {
        this.idle.push(...kinds.map((k) => k.kind.name));
        continue;
      }
      this.lanes.set(lane, { concurrency: concurrency[lane] ?? LANE_CONCURRENCY[lane as JobLane] ?? 4, running: 0, dirty: true, marks: 0, nextAt: undefined });
    }
    // Unknown kinds are failed from here, one at a time, so they block nothing else.
    this.lanes.set(DEFAULT_LANE, { concurrency: concurrency[DEFAULT_LANE] ?? 1, running: 0, dirty: true, marks: 0, nextAt: undefined });
  }

  get names(): string[] {
    return [...this.lanes.keys()];
  }

  has(lane: string): boolean {
    return this.lanes.has(lane);
  }

  free(lane: string): number {
    const s = this.lanes.get(lane);
    return s ? Math.max(0, s.concurrency - s.running) : 0;
  }

  /** Lanes to claim from now: marked, or with a job due by `now`, and with a free slot. */
  toClaim(now: number): string[] {
    const out: string[] = [];
    for (const [lane, s] of this.lanes) {
      if (s.running >= s.concurrency) continue;
      if (s.dirty || (s.nextAt !== undefined && s.nextAt <= now)) out.push(lane);
    }
    return out;
  }

  /** Marks lanes to look at (all when none are named). */
  mark(lanes?: Iterable<string>): void {
    for (const lane of lanes ?? this.lanes.keys()) {
      const s = this.lanes.get(lane);
      if (!s) continue;
      s.dirty = true;
      s.marks++;
    }
  }

  /** Taken before claiming: claimed() keeps the lane marked if a mark came in meanwhile. */
  marksOf(lane: string): number {
    return this.lanes.get(lane)?.marks ?? 0;
  }

  claimed(lane: string, count: number, filled: boolean, marksBefore: number): void {
    const s = this.lanes.get(lane)!;
    s.running += count;
    // A lane that filled every free slot may have more: look again when a slot frees. A job
    // enqueued while the claim ran may not have been visible to it: look again too.
    s.dirty = filled || s.marks !== marksBefore;
    s.nextAt = undefined;
  }

  finished(lane: string): void {
    const s = this.lanes.get(lane);
    if (!s) return;
    s.running = Math.max(0, s.running - 1);
    this.mark([lane]);
  }

  /** Lanes with a free slot whose next due time is not known (asked of the store after a claim). */
  unknownNext(): string[] {
    return [...this.lanes].filter(([, s]) => s.running < s.concurrency && !s.dirty && s.nextAt === undefined).map(([lane]) => lane);
  }

  setNext(lane: string, at: number | undefined, idleUntil: number): void {
    const s = this.lanes.get(lane);
    // Look again after the idle period anyway: other processes enqueue too.
    if (s) s.nextAt = Math.min(at ?? idleUntil, idleUntil);
  }

  /** The earliest moment a lane with a free slot has something to claim. */
  earliest(): number | undefined {
    let min: number | undefined;
    for (const s of this.lanes.values()) {
      if (s.running >= s.concurrency || s.nextAt === undefined) continue;
      if (min === undefined || s.nextAt < min) min = s.nextAt;
    }
    return min;
  }
}
