import { Command } from 'commander';
import type { Store } from '../store/open-store.js';
import type { ReplayResult } from '../lifecycle/coaching/replay-plan.js';
import { cliContext, print, printJson, type CliContext, type CliIo, type GlobalOptions } from './cli-context.js';
import { openCliStore, parseMeetingId } from './meeting-args.js';

export interface ReplayOutcome extends ReplayResult {
  /** What happened to the send: delivered now, or queued for `rolplay start` (and why). */
  delivery?: { state: 'sent' | 'queued'; detail?: string };
}

/**
 * Regenerates the plan and, unless dry-run, sends it at once through the durable send job
 * (so a failure leaves a job `rolplay start` retries, not a lost message).
 */
export async function replayMeeting(ctx: CliContext, store: Store, id: number, options: { dryRun?: boolean; force?: boolean }): Promise<ReplayOutcome> {
  // The composition root and the use case load the SDKs: only now, not for every CLI start.
  const { buildApp } = await import('../daemon/build-app.js');
  const { replayPlan } = await import('../lifecycle/coaching/replay-plan.js');
  const app = await buildApp({ config: ctx.config, logger: ctx.logger, store });
  try {
    const result: ReplayOutcome = await replayPlan(app.services, id, options);
    if (!result.sent || !result.dedupeKey) return result;
    const job = await store.jobs.byDedupeKey(result.dedupeKey);
    if (!job) return { ...result, delivery: { state: 'queued' } };
    if (!app.services.messenger) {
      return { ...result, delivery: { state: 'queued', detail: 'Twilio is not configured (twilio.accountSid, twilio.authToken); `rolplay start` sends it once it is' } };
    }
    const { outcome, job: after } = await app.runner.runJob(job.id);
    return outcome === 'done'
      ? { ...result, delivery: { state: 'sent' } }
      : { ...result, delivery: { state: 'queued', detail: `${after?.last_error ?? 'not delivered yet'}; \`rolplay start\` will retry` } };
  } finally {
    await app.close();
  }
}

/** One line for the terminal UI's status bar. */
export function replaySummary(r: ReplayOutcome): string {
  if (!r.sent) return `Plan for meeting ${r.meetingId} regenerated (not sent).`;
  const how = r.sentAs === 'template' ? 'as the plan template (outside the 24-hour window; the full text follows their reply)' : 'on WhatsApp';
  return r.delivery?.state === 'sent'
    ? `Plan for meeting ${r.meetingId} regenerated and sent to ${r.salesperson.name} ${how}.`
    : `Plan for meeting ${r.meetingId} regenerated and queued for ${r.salesperson.name}${r.delivery?.detail ? `: ${r.delivery.detail}` : ''}.`;
}

export function replayCommand(io: CliIo, globals: () => GlobalOptions): Command {
  return new Command('replay')
    .description('write the plan again with the current meeting and HubSpot context and send it again on WhatsApp (recorded as a replay)')
    .argument('<id>', 'meeting id (first column of `rolplay meetings list`)')
    .option('--dry-run', 'print the new plan without storing or sending it')
    .option('--force', 'replay a cancelled meeting too')
    .option('--json', 'print the result as JSON')
    .action(async (idText: string, opts: { dryRun?: boolean; force?: boolean; json?: boolean }) => {
      const id = parseMeetingId(idText);
      const ctx = await cliContext(globals(), io, 'warn');
      const store = await openCliStore(ctx);
      try {
        const r = await replayMeeting(ctx, store, id, { dryRun: opts.dryRun, force: opts.force });
        if (opts.json) {
          printJson(io, { meetingId: r.meetingId, salesperson: r.salesperson, plan: r.plan, text: r.text, sent: r.sent, sentAs: r.sentAs ?? null, dedupeKey: r.dedupeKey ?? null, delivery: r.delivery ?? null });
          return;
        }
        print(io, r.text);
        print(io);
        print(io, opts.dryRun ? `Dry run: nothing stored or sent. Without --dry-run this goes to ${r.salesperson.name} (${r.salesperson.phone}).` : replaySummary(r));
      } finally {
        await store.close();
      }
    });
}
