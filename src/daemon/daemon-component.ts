/**
 * A part of the long-running daemon besides the job runner (calendar poller, HTTP listener).
 * start() begins its work; stop() finishes what is in flight and releases resources;
 * runOnce(), when present, does one unit of work for `rolplay start --once` and returns what
 * failed (one line), if anything, so cron sees a non-zero exit.
 */
export interface DaemonComponent {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  runOnce?(): Promise<string | undefined>;
}
