import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ConfigError } from '../../src/support/errors.js';

/** An environment with no ROLPLAY_* variables and a home with no config in it. */
export const noEnv = { HOME: '/nonexistent-home' };

/** A new directory holding config.json: the object as JSON, or a string as written. */
export function dirWith(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'rolplay-cfg-'));
  writeFileSync(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

/** The problem lines of the ConfigError `fn` throws (exit code 2); fails the test if it throws none. */
export function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}
