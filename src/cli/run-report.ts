import { buildReport } from '../lifecycle/reporting/build-report.js';
import { cliContext, print, printJson, type CliIo, type GlobalOptions } from './cli-context.js';
import { openCliStore } from './meeting-args.js';
import { formatReport } from './format-report.js';
import { parseReportPeriod } from './report-period.js';
import type { ReportOptions } from './report-command.js';

/** The `rolplay report` action: options -> period -> report -> table or JSON. */
export async function runReport(io: CliIo, globals: GlobalOptions, opts: ReportOptions): Promise<void> {
  const ctx = await cliContext(globals, io, 'warn');
  const timeZone = ctx.config.defaults.timezone;
  const now = Date.now();
  const period = parseReportPeriod(opts, timeZone, now);
  const store = await openCliStore(ctx);
  try {
    const report = await buildReport(store, { ...period, timeZone, userEmail: opts.user?.trim(), now });
    if (opts.json) printJson(io, report);
    else print(io, await formatReport(report));
  } finally {
    await store.close();
  }
}
