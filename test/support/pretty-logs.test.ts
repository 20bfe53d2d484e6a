import { describe, expect, it } from 'vitest';
import { prettyFactory } from 'pino-pretty';
import { prettyOptions } from '../../src/support/logger.js';

// The pretty logs are drawn by pino-pretty in a worker thread writing to fd 2; its line for a
// warning, formatted here with the same options, shows whether ANSI colours get through.
const ESC = '\u001B[';
const warning = { level: 40, time: Date.UTC(2026, 0, 5), msg: 'Gemini call failed; retrying' };

describe('pretty logs and NO_COLOR', () => {
  it('are coloured on a terminal by default', () => {
    expect(prettyFactory(prettyOptions({}))(warning)).toContain(ESC);
  });

  it.each([[{ NO_COLOR: '1' }], [{ NO_COLOR: 'true', FORCE_COLOR: '1' }], [{ FORCE_COLOR: '0' }]])('carry no colour with %j', (env) => {
    const line = prettyFactory(prettyOptions(env))(warning);
    expect(line).toContain('WARN');
    expect(line).toContain('Gemini call failed; retrying');
    expect(line).not.toContain(ESC);
  });

  it('ignore an empty NO_COLOR, as no-color.org says', () => {
    expect(prettyOptions({ NO_COLOR: '' }).colorize).toBe(true);
  });
});
