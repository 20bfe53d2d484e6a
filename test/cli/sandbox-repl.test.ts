import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startRepl } from '../../src/cli/sandbox-repl.js';
import type { InviteInput, SandboxActions, SayInput } from '../../src/sandbox-world/sandbox-actions.js';

/** The prompt in-process, on streams, over actions that record what they were asked. */
function repl() {
  const calls: Array<[string, unknown]> = [];
  const actions: SandboxActions = {
    async invite(input: InviteInput) {
      calls.push(['invite', input]);
      return { eventId: 'AAMk1', subject: input.subject ?? 'Acme Corp renewal', organizer: input.organizer ?? 'sara@sandbox.example', clients: input.clients?.length ? input.clients : ['ann.lee@acme.example'], start: new Date(Date.now() + input.inMs).toISOString(), end: new Date(Date.now() + input.inMs + input.durationMs).toISOString() };
    },
    async say(input: SayInput) {
      calls.push(['say', input]);
      return { from: input.from ?? '+14155550123', name: 'Sara Lopez', messageSid: 'SM1' };
    },
    async sent(input) {
      calls.push(['sent', input]);
      return [];
    },
    async notes() {
      calls.push(['notes', {}]);
      return [];
    },
  };
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => { text += chunk.toString('utf8'); });
  const r = startRepl({ input, output, actions, info: () => ['the banner'] });
  return { calls, input, output: () => text, done: r.done };
}

describe('sandbox prompt', () => {
  it('runs each line in order through the sub-commands\' own options, and ends with quit', async () => {
    const r = repl();
    r.input.write('invite "Globex intro" --organizer tom@sandbox.example --client bo.stone@globex.example --client ann.lee@acme.example --in 1h --for 45m\n');
    r.input.write("say what's the plan?\n");
    r.input.write('say --from +14155550124 hello there\n');
    r.input.write('sent --to +14155550123 --last 3\n');
    r.input.write('notes\nbogus\ninvite --in 5x\ninfo\nquit\nsay never run\n');
    await r.done;
    expect(r.calls).toEqual([
      ['invite', { subject: 'Globex intro', organizer: 'tom@sandbox.example', clients: ['bo.stone@globex.example', 'ann.lee@acme.example'], inMs: 3_600_000, durationMs: 2_700_000 }],
      ['say', { text: "what's the plan?" }],
      ['say', { from: '+14155550124', text: 'hello there' }],
      ['sent', { to: '+14155550123', last: 3 }],
      ['notes', {}],
    ]);
    const out = r.output();
    expect(out).toContain('Invited the bot to "Globex intro"');
    expect(out).toContain('client bo.stone@globex.example, ann.lee@acme.example');
    expect(out).toContain("Sara Lopez (+14155550123) -> rolplay: what's the plan?");
    expect(out).toContain('rolplay has sent no WhatsApp message yet');
    expect(out).toContain("error: unknown command 'bogus'\n(type help for the list of commands)");
    expect(out).toContain('error: --in: "5x" is not a duration');
    expect(out).toContain('the banner');
  });

  it('stops at the end of input after finishing the command in progress', async () => {
    const r = repl();
    r.input.end('notes\n');
    await r.done;
    expect(r.calls).toEqual([['notes', {}]]);
  });

  it('accepts every line the README\'s walk-through types at the prompt', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Try it by hand: `rolplay sandbox`'), readme.indexOf('### `rolplay meetings list`'));
    const lines = [...section.matchAll(/^sandbox> (.+)$/gm)].map((m) => m[1]!);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const r = repl();
    r.input.end(`${lines.join('\n')}\n`);
    await r.done;
    expect(r.output()).not.toMatch(/error/);
    expect(r.calls.map(([name]) => name)).toEqual(lines.filter((l) => l !== 'quit').map((l) => l.split(' ')[0]));
  });
});
