#!/usr/bin/env node
'use strict';
// Thin launcher (CommonJS: bin/package.json). `npm install` (the prepare script) runs
// `npm run build`, which compiles src/ with tsc, bundles the CLI into dist/bundle/rolplay.cjs
// and writes its code cache; load-rolplay.cjs runs it.
const { loadRolplay } = require('./load-rolplay.cjs');

// A reader that stops early (`rolplay meetings list | head`) closes the pipe: end quietly, as
// Unix tools do, instead of crashing on the next write.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const { main } = loadRolplay().exports;
main(process.argv).then((code) => {
  process.exitCode = code;
});
