import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { RolplayError, UsageError } from '../support/errors.js';
import type { ImportItemResult } from '../lifecycle/calendar/import-meetings.js';
import { cliContext, print, printJson, type CliIo, type GlobalOptions } from './cli-context.js';
import { openCliStore } from './meeting-args.js';

const OUTCOME_TEXT: Record<string, string> = {
  new: 'new meeting, plan and reminder scheduled',
  unmatched: 'recorded as unmatched: the organizer is not a registered salesperson (`rolplay user add`)',
  changed: 'updated',
  unchanged: 'already imported, unchanged',
  restored: 'restored (it had been cancelled)',
  cancelled: 'cancelled',
  skipped: 'skipped',
  completed: 'already over: stored as history, completed (no plan, no reminder)',
  awaiting_outcome: 'ended within the last day: stored as history, no plan; the reminder asks how it went when `rolplay start` runs',
};

export function importCommand(io: CliIo, globals: () => GlobalOptions): Command {
  return new Command('import')
    .description('import meetings from the seed\'s /outlook-webhook JSON (one object or an array; "-" reads standard input), through the same ingest as Outlook invitations')
    .argument('<file>', 'a JSON file, or - for standard input')
    .option('--include-past', 'store meetings that are already over as history (no plan): completed, or awaiting the outcome when they ended within the last day')
    .option('--json', 'print one result per item as JSON')
    .action(async (file: string, opts: { json?: boolean; includePast?: boolean }) => {
      const payload = parseJsonText(await readInput(file), file === '-' ? 'standard input' : file);
      const ctx = await cliContext(globals(), io, 'warn');
      const store = await openCliStore(ctx);
      let results: ImportItemResult[];
      try {
        // The ingest path queues plan and reminder jobs: it comes with the composition root.
        const { buildApp } = await import('../daemon/build-app.js');
        const { importMeetings } = await import('../lifecycle/calendar/import-meetings.js');
        const app = await buildApp({ config: ctx.config, logger: ctx.logger, store });
        try {
          results = await importMeetings(app.services, payload, { includePast: opts.includePast });
        } finally {
          await app.close();
        }
      } finally {
        await store.close();
      }
      const rejected = results.filter((r) => r.outcome === 'rejected');
      if (opts.json) printJson(io, results);
      else {
        for (const r of results) {
          if (r.outcome === 'rejected') io.stderr.write(`rolplay: item ${r.index}: ${r.field}: ${r.reason}\n`);
          else print(io, `item ${r.index}: ${r.meetingId !== undefined ? `meeting ${r.meetingId} ` : ''}"${r.title}": ${OUTCOME_TEXT[r.outcome] ?? r.outcome}${r.reason ? ` (${r.reason})` : ''}`);
        }
        print(io, importSummary(results));
      }
      if (rejected.length > 0) throw new RolplayError(`${rejected.length} of ${results.length} items were rejected; the others were imported`, { code: 'IMPORT_PARTIAL', exitCode: 1 });
    });
}

/** "3 of 5 items imported; 1 skipped (...); 1 rejected (see above)." Skipped items are not imported. */
export function importSummary(results: ImportItemResult[]): string {
  const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
  const skipped = count('skipped');
  const rejected = count('rejected');
  const ended = results.some((r) => r.outcome === 'skipped' && r.reason === 'already ended');
  const parts = [`${results.length - skipped - rejected} of ${results.length} items imported`];
  if (skipped > 0) parts.push(`${skipped} skipped${ended ? ' (meetings already over: --include-past stores them as history)' : ''}`);
  if (rejected > 0) parts.push(`${rejected} rejected (see above)`);
  const next = count('new') > 0 ? ' Plans go out when `rolplay start` runs.' : count('awaiting_outcome') > 0 ? ' Reminders go out when `rolplay start` runs.' : '';
  return `${parts.join('; ')}.${next}`;
}

async function readInput(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file} (${code === 'ENOENT' ? 'no such file' : code ?? 'unreadable'}): give the path of the JSON file, or - for standard input`);
  }
}

/** JSON.parse with the line and column at fault, which Node's message gives only as an offset. */
export function parseJsonText(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = Number(/position (\d+)/.exec(message)?.[1] ?? Number.NaN);
    let at = '';
    if (Number.isFinite(position)) {
      const before = text.slice(0, position).split('\n');
      at = ` at line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
    }
    throw new UsageError(`${where} is not valid JSON${at}: ${message.replace(/ in JSON at position \d+.*$/, '')}`);
  }
}
