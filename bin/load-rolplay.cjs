'use strict';
// Loads the built CLI (dist/bundle/rolplay.cjs) as a script with the V8 code cache that
// `npm run build` wrote beside it (scripts/warm-cache.cjs), so a command starts from compiled
// code instead of parsing and compiling 1.8 MB of JavaScript. V8 ignores a cache made by another
// V8 version or with other flags (after an upgrade of Node.js, say): the command then compiles as
// usual, only slower, until `npm run build` writes a new one. Of the source V8 checks only the
// length, so the two files must come from one build: scripts/bundle.js empties dist/bundle/ and
// writes both, and nothing else writes either.
const { existsSync, readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const BUNDLE = join(__dirname, '..', 'dist', 'bundle', 'rolplay.cjs');
const CACHE = `${BUNDLE}.cache`;

// The one ES module the CLI imports (ink, for the terminal UI: see src/cli/tui/ink.ts) is imported
// from here. In code that V8 takes from a code cache made by another process, import() fails
// ("A dynamic import callback was not specified"); this file is compiled by Node's own loader.
globalThis[Symbol.for('rolplay.importPackage')] = (name) => import(name);

/** The CommonJS function wrapper, as Node's own loader puts around a module. */
const wrap = (source) => `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;

/**
 * The CLI's exports ({ main }) and the vm.Script it ran (undefined when loaded by require()).
 * `useCache: false` compiles from source (the warm-up that writes the cache).
 */
function loadRolplay({ useCache = true } = {}) {
  if (!existsSync(BUNDLE)) {
    process.stderr.write('rolplay is not built yet: run `npm install` (or `npm run build`) in the rolplay folder.\n');
    process.exit(2);
  }
  // Stack traces printed under ROLPLAY_DEBUG name src/ files: Node's loader applies source maps.
  if (process.env.ROLPLAY_DEBUG) {
    process.setSourceMapsEnabled(true);
    return { exports: require(BUNDLE), script: undefined };
  }
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(CACHE);
    } catch {
      cachedData = undefined;
    }
  }
  // An ASCII file (scripts/bundle.js checks): Latin-1 is a plain copy, UTF-8 a slower decode.
  const script = new vm.Script(wrap(readFileSync(BUNDLE, 'latin1')), {
    filename: BUNDLE,
    cachedData,
  });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  return { exports: module.exports, script };
}

module.exports = { loadRolplay, BUNDLE, CACHE };
