#!/usr/bin/env node
// Thin launcher. `npm install` (the prepare script) runs `npm run build`, which compiles src/
// with tsc and bundles the CLI into dist/bundle/: one path, so a missing bundle is reported
// rather than silently replaced by the slower unbundled dist/cli/.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const entry = new URL('../dist/bundle/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('rolplay is not built yet: run `npm install` (or `npm run build`) in the rolplay folder.\n');
  process.exit(2);
}
// Stack traces printed under ROLPLAY_DEBUG then name src/ files instead of bundle chunks.
if (process.env.ROLPLAY_DEBUG) process.setSourceMapsEnabled(true);
// A reader that stops early (`rolplay meetings list | head`) closes the pipe: end quietly, as
// Unix tools do, instead of crashing on the next write.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
