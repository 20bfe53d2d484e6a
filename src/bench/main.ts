/**
 * `npm run bench`: every performance figure the issues ask for, with its goal beside it.
 * Text by default, `--json` for a machine-readable array. Loopback only; bounded in time.
 * Names pick benches (`node dist/bench/main.js load`); `--load-<option>=<value>` tunes the
 * load bench (see LoadBenchOptions, e.g. --load-e2eMs=10000 for a shorter run).
 */
import { formatFigures, meetsGoal, type BenchFigure } from './bench-result.js';
import { runWebhookBench } from './webhook-bench.js';
import { runCalendarBench } from './calendar-bench.js';
import { runReminderBench } from './reminder-bench.js';
import { runCliBench } from './cli-bench.js';
import { runReportBench } from './report-bench.js';
import { runDaemonIdleBench } from './daemon-bench.js';
import { loadOptionsFrom, runLoadBench } from './load-bench.js';

const benches: Array<[string, (argv: string[]) => Promise<BenchFigure[]>]> = [
  ['webhook', () => runWebhookBench()],
  ['calendar', () => runCalendarBench()],
  ['reminders', () => runReminderBench()],
  ['cli', () => runCliBench()],
  ['report', () => runReportBench()],
  ['daemon', () => runDaemonIdleBench()],
  ['load', (argv) => runLoadBench(loadOptionsFrom(argv))],
];

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const only = argv.filter((a) => !a.startsWith('--'));
  const figures: BenchFigure[] = [];
  for (const [name, run] of benches) {
    if (only.length > 0 && !only.includes(name)) continue;
    if (!json) process.stderr.write(`running ${name} bench...\n`);
    figures.push(...(await run(argv)));
  }
  if (json) process.stdout.write(`${JSON.stringify(figures.map((f) => ({ ...f, ok: meetsGoal(f) })), null, 2)}\n`);
  else process.stdout.write(`${formatFigures(figures)}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
