import { Command } from 'commander';
import type { SandboxActions } from '../sandbox-world/sandbox-actions.js';
import { parseDuration } from '../sandbox-world/parse-duration.js';

/**
 * invite, say, sent and notes: the same commander definitions serve `rolplay sandbox <command>`
 * (acting over the running sandbox's control endpoint) and the sandbox's own prompt (acting
 * in-process), so both accept exactly the same words. Kept light: the formatting and the
 * actions load only when a command runs.
 */
export interface ActionTarget {
  actions(): SandboxActions | Promise<SandboxActions>;
  print(line?: string): void;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function sandboxActionCommands(target: ActionTarget): Command[] {
  const json = (value: unknown) => target.print(JSON.stringify(value, null, 2));
  const format = () => import('./sandbox-format.js');
  const printAll = (lines: string[]) => {
    for (const line of lines) target.print(line);
  };

  const invite = new Command('invite')
    .description('add an invitation to the bot\'s calendar, as a salesperson sending one from Outlook')
    .argument('[subject]', 'the meeting title (default: "<client company> renewal")')
    .option('--organizer <email>', 'who sends it: sara@sandbox.example (default, registered) or anyone else (recorded as unmatched)')
    .option('--client <email>', 'a client attendee, repeatable (default ann.lee@acme.example; bo.stone@globex.example is in HubSpot too)', collect)
    .option('--in <duration>', 'it starts this long from now: 90s, 5m, 1h, 2d', '5m')
    .option('--for <duration>', 'how long it lasts', '30m')
    .option('--json', 'print the result as JSON')
    .action(async (subject: string | undefined, opts: { organizer?: string; client?: string[]; in: string; for: string; json?: boolean }) => {
      const input = { subject, organizer: opts.organizer, clients: opts.client, inMs: parseDuration(opts.in, '--in'), durationMs: parseDuration(opts.for, '--for') };
      const result = await (await target.actions()).invite(input);
      if (opts.json) return json(result);
      printAll((await format()).inviteLines(result));
    });

  const say = new Command('say')
    .description('send rolplay a WhatsApp message as a salesperson (signed as Twilio signs its webhooks)')
    .argument('<text...>', 'the message, e.g. say what should I ask Ann?')
    .option('--from <phone>', 'the sender\'s WhatsApp number (default +14155550123, Sara)')
    .option('--voice', 'send it as a voice note saying the text (rolplay downloads and transcribes it)')
    .option('--json', 'print the result as JSON')
    .action(async (words: string[], opts: { from?: string; voice?: boolean; json?: boolean }) => {
      const text = words.join(' ');
      const result = await (await target.actions()).say({ from: opts.from, text, ...(opts.voice ? { voice: true } : {}) });
      if (opts.json) return json(result);
      printAll((await format()).sayLines(result, text));
    });

  const sent = new Command('sent')
    .description('the WhatsApp messages rolplay sent (the Twilio simulator\'s log), oldest first')
    .option('--to <phone>', 'only those to this number')
    .option('--last <n>', 'how many, the most recent', '20')
    .option('--json', 'print a JSON array')
    .action(async (opts: { to?: string; last: string; json?: boolean }) => {
      const last = /^\d+$/.test(opts.last) ? Number(opts.last) : Number.NaN;
      const messages = await (await target.actions()).sent({ to: opts.to, last });
      if (opts.json) return json(messages);
      const f = await format();
      printAll(f.listLines(messages, (m) => f.sentLines(m), 'rolplay has sent no WhatsApp message yet (is `rolplay start` running?).'));
    });

  const notes = new Command('notes')
    .description('the notes rolplay logged in HubSpot, with the contacts they are on')
    .option('--json', 'print a JSON array')
    .action(async (opts: { json?: boolean }) => {
      const list = await (await target.actions()).notes();
      if (opts.json) return json(list);
      const f = await format();
      printAll(f.listLines(list, f.noteLines, 'No HubSpot note yet: one is logged when a salesperson answers the reminder after a meeting.'));
    });

  return [invite, say, sent, notes];
}
