'use strict';
// Writes the V8 code cache of the built CLI (see bin/load-rolplay.cjs): runs the commands people
// run most, in this one process, on a scratch store, then saves every function V8 compiled for
// them. A command the cache does not cover still runs; it compiles what it needs, as before.
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Writable } = require('node:stream');
const { loadRolplay, CACHE } = require('../bin/load-rolplay.cjs');

const COMMANDS = [
  ['--help'],
  ['user', 'list'],
  ['meetings', 'list', '--json'],
  ['meetings', 'list', '--no-tui'],
  ['meetings', '--help'],
];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'rolplay-warm-'));
  try {
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ dataDir: join(dir, 'data') }));
    // Another process creates the store first: the migrations (and the query builder that runs
    // them) happen once per store, and would only make every command's cache larger.
    const created = spawnSync(process.execPath, [require.resolve('../bin/rolplay.js'), 'user', 'list'], { env: { PATH: process.env.PATH, HOME: dir, ROLPLAY_CONFIG: config }, encoding: 'utf8' });
    if (created.status !== 0) throw new Error(`rolplay user list exited ${created.status}: ${created.stderr}`);
    const { exports, script } = loadRolplay({ useCache: false });
    let errors = '';
    const sink = (keep) => Object.assign(new Writable({ write(chunk, _encoding, done) { if (keep) errors += chunk; done(); } }), { isTTY: false });
    // Only the scratch config: nothing of the builder's own rolplay settings or secrets.
    const env = { PATH: process.env.PATH, HOME: dir, ROLPLAY_CONFIG: config };
    for (const argv of COMMANDS) {
      const code = await exports.main(['node', 'rolplay', ...argv], { stdout: sink(false), stderr: sink(true), env, cwd: dir });
      if (code !== 0) throw new Error(`rolplay ${argv.join(' ')} exited ${code}: ${errors}`);
    }
    writeFileSync(CACHE, script.createCachedData());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
