import { createInterface, type Interface } from 'node:readline';
import { Command, CommanderError } from 'commander';
import { RolplayError, UsageError, errorMessage } from '../support/errors.js';
import type { SandboxActions } from '../sandbox-world/sandbox-actions.js';
import { sandboxActionCommands } from './sandbox-action-commands.js';

export const REPL_HELP = [
  'Commands (the same from any terminal as `rolplay sandbox <command> --config <file>`):',
  '  invite ["subject"] [--organizer email] [--client email] [--in 5m] [--for 30m]',
  '                                add an invitation to the bot\'s calendar',
  '  say <text...> [--from phone] [--voice]',
  '                                send rolplay a WhatsApp message as Sara (or --from), or a voice note',
  '  sent [--to phone] [--last n]  the WhatsApp messages rolplay sent',
  '  notes                         the notes rolplay logged in HubSpot',
  '  info                          ports, config and people of this sandbox',
  '  help [command]                this list, or one command\'s options',
  '  quit                          stop the sandbox (also Ctrl-C, or Ctrl-D)',
];

export interface Repl {
  /** Prints a line without garbling what the user is typing at the prompt. */
  print(line?: string): void;
  /** Resolves when the user quits, stdin ends, or close() is called, after the last command finished. */
  done: Promise<void>;
  close(): void;
}

/**
 * The sandbox's prompt: one command per line, parsed by the same commander definitions as
 * `rolplay sandbox invite|say|sent|notes`, run one at a time in the order typed.
 */
export function startRepl(options: {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream & { isTTY?: boolean };
  actions: SandboxActions;
  info(): string[];
}): Repl {
  const tty = options.output.isTTY === true && (options.input as { isTTY?: boolean }).isTTY === true;
  const rl: Interface = createInterface({ input: options.input, output: tty ? options.output : undefined, terminal: tty, prompt: 'sandbox> ' });
  const print = (line = '') => {
    if (tty) options.output.write('\r\x1b[K');
    options.output.write(`${line}\n`);
  };
  let chain = Promise.resolve();
  let finish!: () => void;
  const done = new Promise<void>((r) => { finish = r; });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    rl.close();
  };
  const prompt = () => {
    if (tty && !closed) rl.prompt(true);
  };

  rl.on('line', (line) => {
    chain = chain.then(async () => {
      if (closed) return;
      await runLine(line, { print, actions: options.actions, info: options.info, quit: close });
      prompt();
    });
  });
  rl.on('SIGINT', close);
  rl.on('close', () => {
    closed = true;
    void chain.then(finish);
  });
  prompt();
  return {
    print(line) {
      print(line);
      prompt();
    },
    done,
    close,
  };
}

async function runLine(line: string, ctx: { print(line?: string): void; actions: SandboxActions; info(): string[]; quit(): void }): Promise<void> {
  let words: string[];
  try {
    words = splitWords(line);
  } catch (error) {
    return ctx.print(`error: ${errorMessage(error)}`);
  }
  const [first, ...rest] = words;
  if (first === undefined) return;
  if (first === 'quit' || first === 'exit') return ctx.quit();
  if (first === 'info') return ctx.info().forEach((l) => ctx.print(l));
  if (first === 'help' && rest.length === 0) return REPL_HELP.forEach((l) => ctx.print(l));
  const program = new Command('sandbox>')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.print(s.trimEnd()), writeErr: (s) => ctx.print(s.trimEnd()) });
  for (const sub of sandboxActionCommands({ actions: () => ctx.actions, print: ctx.print })) program.addCommand(sub.exitOverride().configureOutput({ writeOut: (s) => ctx.print(s.trimEnd()), writeErr: (s) => ctx.print(s.trimEnd()) }));
  try {
    await program.parseAsync(first === 'help' ? [...rest, '--help'] : words, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.unknownCommand') ctx.print('(type help for the list of commands)');
      return;
    }
    ctx.print(error instanceof RolplayError ? `error: ${error.message}` : `unexpected error: ${errorMessage(error)}`);
  }
}

/** Splits a line into words; double quotes group words ("Acme renewal"); an apostrophe is just a letter. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  let open = false;
  for (const m of line.matchAll(re)) {
    if (m[2]?.includes('"')) open = true;
    words.push(m[1] ?? m[2]!);
  }
  if (open) throw new UsageError('a double quote is not closed');
  return words;
}
