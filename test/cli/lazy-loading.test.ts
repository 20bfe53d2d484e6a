import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/**
 * The packages a module loads before any of its code runs: its static value imports (not
 * `import type`, not `await import()`), followed through our own files.
 */
function packagesLoadedBy(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^import\s+(type\s+)?([^'";]*?)\s*from\s+'([^']+)';|^import\s+'([^']+)';/gm)) {
      const [, typeOnly, names = '', from, bare] = m;
      const specifier = from ?? bare!;
      // `import type {...}` and `import { type A, type B }` are erased by TypeScript.
      if (typeOnly || /^\{\s*(type\s+\w+\s*,?\s*)+\}$/.test(names)) continue;
      if (specifier.startsWith('.')) visit(sourceOf(file, specifier));
      else packages.set(specifier, file.slice(SRC.length + 1));
    }
  };
  visit(resolve(SRC, entry));
  return packages;
}

/** The .ts or .tsx file behind a relative `./x.js` import. */
function sourceOf(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier.replace(/\.js$/, ''));
  const found = ['.ts', '.tsx'].map((ext) => base + ext).find((path) => existsSync(path));
  if (!found) throw new Error(`${from}: cannot find the source of ${specifier}`);
  return found;
}

describe('what the CLI loads at start-up', () => {
  it('is commander and Node built-ins only: the config schema, the store, pino and the use cases load in the actions that need them', () => {
    const loaded = packagesLoadedBy('cli/main.ts');
    const other = [...loaded].filter(([name]) => name !== 'commander' && !name.startsWith('node:') && !builtinModules.includes(name));
    // e.g. [['zod', 'config/schema.ts']]: a command file imports that module at the top instead of in its action.
    expect(other).toEqual([]);
    expect(loaded.has('commander')).toBe(true);
  });

  it('reads SQLite for user list and the printed meetings list without loading Kysely', () => {
    // e.g. a value imported from meetings-repo.ts, whose module builds Kysely expressions.
    expect([...packagesLoadedBy('store/sqlite-reads.ts').keys()]).not.toContain('kysely');
  });

  it('follows imports far enough to see the store load Kysely and the SQLite driver', () => {
    expect([...packagesLoadedBy('store/open-store.ts').keys()]).toEqual(expect.arrayContaining(['kysely', 'better-sqlite3']));
  });
});

describe('what the bundle holds', () => {
  it('takes zod as a namespace (`import * as z`): its `z` export is the whole library object, which keeps all of its 40-odd locales (300 KB) in the chunk every command loads with the config', () => {
    const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f));
    const whole = files.filter((f) => /^import\s+(?!type\b)\{[^}]*\bz\b[^}]*\}\s+from\s+'zod'/m.test(readFileSync(resolve(SRC, f), 'utf8')));
    expect(whole).toEqual([]);
  });

  it('starts without child_process, fs/promises or readline: the built `rolplay user list` loads none of them', () => {
    // commander requires child_process at load (made lazy by scripts/bundle.js); it brings net,
    // dgram and streams. The others would come from a command file importing them at the top.
    const dir = mkdtempSync(join(tmpdir(), 'rolplay-builtins-'));
    try {
      const hook = join(dir, 'hook.cjs');
      writeFileSync(hook, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'loaded.txt'))}, process.moduleLoadList.join('\\n')));`);
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ dataDir: join(dir, 'data') }));
      const run = spawnSync(process.execPath, ['--require', hook, resolve(SRC, '../bin/rolplay.js'), 'user', 'list'], {
        env: { PATH: process.env.PATH, HOME: dir, ROLPLAY_CONFIG: join(dir, 'config.json') }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      const loaded = readFileSync(join(dir, 'loaded.txt'), 'utf8').split('\n');
      expect(loaded).toContain('NativeModule fs');
      expect(loaded.filter((m) => /^NativeModule (child_process|dgram|fs\/promises|readline)$/.test(m))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
