import { Command } from 'commander';
import { cliContext, print, printJson, type CliIo, type GlobalOptions } from './cli-context.js';
import { openCliReads, openCliStore, parseMeetingId } from './meeting-args.js';
import { parseMeetingFilter, type MeetingFilterOptions } from './meeting-filter.js';
import { replayCommand, replayMeeting, replaySummary } from './meetings-replay-command.js';
import { importCommand } from './meetings-import-command.js';

export interface ListOptions extends MeetingFilterOptions {
  json?: boolean;
  tui: boolean;
}

/**
 * `rolplay meetings list|show|import|replay`. The list draws the ink terminal UI only on a TTY;
 * ink and React are imported then and only then, so piped output and --json stay fast.
 */
export function meetingsCommand(io: CliIo, globals: () => GlobalOptions): Command {
  const meetings = new Command('meetings').description('see, import and replay coached meetings');

  meetings.command('list')
    .description('list meetings: a terminal UI on a TTY, an aligned table when piped or with --no-tui, JSON with --json')
    .option('--status <list>', 'only these statuses, comma-separated: scheduled, plan_sent, reminder_sent, completed, cancelled')
    .option('--user <email>', 'only this salesperson\'s meetings')
    .option('--from <date>', 'starting at or after (YYYY-MM-DD, "YYYY-MM-DD HH:MM" local time, ISO 8601, today...)')
    .option('--to <date>', 'starting before (a date alone includes that day)')
    .option('--limit <n>', 'at most n meetings (default 10000)')
    .option('--unmatched', 'only invitations from organizers who are not registered salespeople')
    .option('--json', 'print one JSON array')
    .option('--no-tui', 'print the plain table even on a terminal')
    .action(async (opts: ListOptions) => {
      const filter = parseMeetingFilter(opts);
      const ctx = await cliContext(globals(), io, 'warn');
      if (!opts.json && opts.tui && io.stdout.isTTY && process.stdin.isTTY) {
        const store = await openCliStore(ctx);
        try {
          const { runMeetingsTui } = await import('./tui/run-meetings-tui.js');
          // The UI owns the terminal: logs would tear it, so only errors get through.
          ctx.logger.level = 'error';
          await runMeetingsTui({ store, filter, env: io.env, companyTimeZone: ctx.config.defaults.timezone, replay: async (id) => replaySummary(await replayMeeting(ctx, store, id, {})) });
        } finally {
          await store.close();
        }
        return;
      }
      // Printed lists only read: on SQLite, without the query builder (see sqlite-reads.ts).
      const [reads, { printMeetingList }] = await Promise.all([openCliReads(ctx), import('./print-meeting-list.js')]);
      try {
        await printMeetingList(io, reads, filter, opts.json === true);
      } finally {
        await reads.close();
      }
    });

  meetings.command('show')
    .description('everything about one meeting: plan, conversation, jobs and their errors, HubSpot note')
    .argument('<id>', 'meeting id (first column of `rolplay meetings list`)')
    .option('--json', 'print JSON')
    .action(async (idText: string, opts: { json?: boolean }) => {
      const id = parseMeetingId(idText);
      const ctx = await cliContext(globals(), io, 'warn');
      const store = await openCliStore(ctx);
      try {
        const [{ meetingDetails }, { detailJson, formatDetailText }] = await Promise.all([import('../lifecycle/reading/meeting-details.js'), import('./format-meeting.js')]);
        const detail = await meetingDetails(store, id);
        if (opts.json) printJson(io, detailJson(detail));
        else print(io, formatDetailText(detail));
      } finally {
        await store.close();
      }
    });

  meetings.addCommand(importCommand(io, globals));
  meetings.addCommand(replayCommand(io, globals));
  return meetings;
}
