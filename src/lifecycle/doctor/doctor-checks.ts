import { errorMessage } from '../../support/errors.js';

/**
 * `rolplay doctor` as data: each check yields one line, ok / fail / warn, with the fix named
 * when it is not ok. Warnings (things that happened, not things that are broken) do not fail
 * the run.
 */
export type CheckStatus = 'ok' | 'fail' | 'warn';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
}

export interface DoctorCheck {
  name: string;
  run(): Promise<Omit<CheckResult, 'name'>>;
}

/**
 * Runs the checks one after another (service checks share rate limits with the daemon), telling
 * `onStart` before each and `onDone` after, so the CLI can show progress. A check that throws is a failure whose
 * detail is the error's message (client errors name the setting to fix and never hold secrets).
 */
export async function runChecks(checks: DoctorCheck[], events: { onStart?(name: string): void; onDone?(result: CheckResult): void } = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    events.onStart?.(check.name);
    let result: CheckResult;
    try {
      result = { name: check.name, ...(await check.run()) };
    } catch (error) {
      result = { name: check.name, status: 'fail', detail: errorMessage(error) };
    }
    results.push(result);
    events.onDone?.(result);
  }
  return results;
}

/**
 * A service check: `probe` calls the service through its real client and resolves to what it
 * found (account name, model, scopes), or throws. Not configured is a failure naming the keys.
 */
export function serviceCheck(name: string, configured: boolean, missingKeys: string, probe: (() => Promise<string>) | undefined): DoctorCheck {
  return {
    name,
    async run() {
      if (!configured) return { status: 'fail', detail: `not configured: set ${missingKeys}` };
      if (!probe) return { status: 'warn', detail: 'configured, but this build of rolplay has no check for it yet' };
      return { status: 'ok', detail: await probe() };
    },
  };
}

/** Replaces every secret value that might have slipped into a line with [redacted]. */
export function redactSecrets(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}
