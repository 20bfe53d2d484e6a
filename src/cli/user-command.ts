import { Command } from 'commander';
import { NotFoundError, errorMessage } from '../support/errors.js';
import { cliContext, print, printJson, type CliIo, type GlobalOptions } from './cli-context.js';
import { openCliReads, openCliStore } from './meeting-args.js';
import { LANGUAGES } from '../domain/messages/languages.js';

export function userCommand(io: CliIo, globals: () => GlobalOptions): Command {
  const user = new Command('user').description('register and manage salespeople (who gets coached on WhatsApp)');

  user.command('add')
    .description('register a salesperson, or update one with the same email, send the WhatsApp welcome, and coach the invitations they sent before registering (recorded as unmatched)')
    .requiredOption('--name <name>', 'full name, e.g. "Sara Lopez"')
    .requiredOption('--email <email>', 'the Outlook address they organise meetings from')
    .requiredOption('--phone <phone>', 'WhatsApp number: +14155552671, or national format in defaults.country')
    .option('--timezone <zone>', 'IANA time zone for times in their messages (default: defaults.timezone)')
    .option('--language <code>', `language of their messages and coaching: ${LANGUAGES.join(', ')} (default: defaults.language; an existing user keeps theirs)`)
    .option('--no-welcome', 'do not send the welcome WhatsApp message')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { name: string; email: string; phone: string; timezone?: string; language?: string; welcome: boolean; json?: boolean }) => {
      if (opts.language !== undefined) {
        // The message catalogues load only here: the command tree needs just the codes.
        const { languageNamed } = await import('../domain/messages/index.js');
        const { unknownLanguageError } = await import('../lifecycle/users/register-user.js');
        if (!languageNamed(opts.language)) throw unknownLanguageError(opts.language);
      }
      const ctx = await cliContext(globals(), io, 'warn');
      // The composition root loads every SDK: only the commands that need it pay for that.
      const { buildApp } = await import('../daemon/build-app.js');
      const { registerUser } = await import('../lifecycle/users/register-user.js');
      const app = await buildApp({ config: ctx.config, logger: ctx.logger });
      try {
        const result = await registerUser(app.services, opts);
        let welcome = result.welcomeJobId === undefined ? 'not sent' : 'queued';
        let detail = '';
        if (result.welcomeJobId !== undefined) {
          if (!app.services.messenger) {
            detail = 'Twilio is not configured (twilio.accountSid, twilio.authToken); `rolplay start` sends it once it is';
          } else {
            const { outcome, job } = await app.runner.runJob(result.welcomeJobId);
            if (outcome === 'done') welcome = 'sent';
            else detail = `${job?.last_error ?? 'not delivered yet'}; \`rolplay start\` will retry`;
          }
        }
        const u = result.user;
        if (opts.json) {
          printJson(io, { user: publicUser(u), created: result.created, welcome, ...(detail ? { welcomeDetail: detail } : {}), pickedUp: result.pickedUp.length });
          return;
        }
        print(io, `${result.created ? 'Added' : 'Updated existing user'} ${u.name} <${u.email}>, WhatsApp ${u.phone}, time zone ${u.timezone}, language ${u.language}.`);
        if (welcome === 'sent') print(io, 'Welcome message sent on WhatsApp.');
        else if (welcome === 'queued') print(io, `Welcome message queued: ${detail}.`);
        else if (!opts.welcome) print(io, 'No welcome message (--no-welcome).');
        print(io, pickedUpLine(result.pickedUp.length));
      } finally {
        await app.close();
      }
    });

  user.command('list')
    .description('list registered salespeople')
    .option('--json', 'print a JSON array')
    .action(async (opts: { json?: boolean }) => {
      const ctx = await cliContext(globals(), io, 'warn');
      const store = await openCliReads(ctx);
      try {
        const users = await store.users.list();
        if (opts.json) return printJson(io, users.map(publicUser));
        if (users.length === 0) return print(io, 'No salespeople registered yet: add one with `rolplay user add --name ... --email ... --phone ...`.');
        const { formatTable } = await import('./format-table.js');
        print(io, await formatTable(['EMAIL', 'NAME', 'WHATSAPP', 'TIME ZONE', 'LANGUAGE', 'ADDED'], users.map((u) => [u.email, u.name, u.phone, u.timezone, u.language, new Date(u.created_at).toISOString().slice(0, 10)])));
      } finally {
        await store.close();
      }
    });

  user.command('remove')
    .description('remove a salesperson (their past meetings stay, unassigned)')
    .argument('<email>', 'the salesperson\'s email')
    .action(async (email: string) => {
      const ctx = await cliContext(globals(), io, 'warn');
      const store = await openCliStore(ctx);
      try {
        if (!(await store.users.remove(email))) throw new NotFoundError(`no salesperson with email ${email.toLowerCase()} (see \`rolplay user list\`)`);
        print(io, `Removed ${email.toLowerCase()}.`);
      } finally {
        await store.close().catch((e) => ctx.logger.warn({ err: errorMessage(e) }, 'closing the store failed'));
      }
    });

  return user;
}

/** Invitations sent before registering are coached now: say how many. */
export function pickedUpLine(count: number): string {
  if (count === 0) return 'No earlier invitations from this address were waiting to be coached.';
  const what = count === 1 ? '1 earlier invitation' : `${count} earlier invitations`;
  return `Picked up ${what} from this address: \`rolplay start\` sends ${count === 1 ? 'its plan' : 'their plans'} as for a new invitation.`;
}

function publicUser(u: { id: number; email: string; name: string; phone: string; timezone: string; language: string; created_at: number; updated_at: number }) {
  return { id: u.id, email: u.email, name: u.name, phone: u.phone, timezone: u.timezone, language: u.language, createdAt: new Date(u.created_at).toISOString(), updatedAt: new Date(u.updated_at).toISOString() };
}
