import { Command } from 'commander';
import type { CliIo, GlobalOptions } from './cli-context.js';

export interface ReportOptions {
  from?: string;
  to?: string;
  user?: string;
  json?: boolean;
}

/**
 * `rolplay report`: coaching figures per salesperson and for the team. Only the option wiring
 * loads with the CLI; the queries and the table load when the command runs.
 */
export function reportCommand(io: CliIo, globals: () => GlobalOptions): Command {
  return new Command('report')
    .description('meetings, plans sent, role-play scores, outcomes logged and missing, per salesperson and for the team, against the previous period of the same length')
    .option('--from <date>', 'first day, YYYY-MM-DD in the company time zone (defaults.timezone), or an ISO 8601 time (2026-11-20T09:00, with Z or an offset for another zone); default: 6 days before today')
    .option('--to <date>', 'last day, included (YYYY-MM-DD in the company time zone), or an ISO 8601 time, excluded; default: today')
    .option('--user <email>', 'only this salesperson (the team figures stay the whole team\'s)')
    .option('--json', 'print the report as JSON (field names in the README)')
    .addHelpText('after', '\nWith no dates: the last 7 days, today included. A meeting counts by its start (cancelled ones not), a role-play by when it was scored,\nan outcome by when it was logged to HubSpot; missing outcomes are meetings of the period over for more than a day with nothing logged.')
    .action(async (opts: ReportOptions) => {
      const { runReport } = await import('./run-report.js');
      await runReport(io, globals(), opts);
    });
}
