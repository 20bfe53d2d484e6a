// Second half of `npm run build`: links tsc's output (dist/cli/main.js and everything it imports)
// into one CommonJS file, dist/bundle/rolplay.cjs, which bin/rolplay.js runs, then has V8 write a
// code cache for it (scripts/warm-cache.cjs). Node 20 has no compile cache of its own: resolving,
// reading and compiling some 500 separate modules (ours, kysely, zod, libphonenumber-js...) was
// most of the start-up time of every command, and ES modules cannot be given a code cache; a
// script can (vm.Script cachedData), so a command starts from compiled code.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// Two folders below the package root, like dist/cli/: src/cli/version.ts reads
// ../../package.json relative to its own file, and keeps working from here.
const outdir = 'dist/bundle';

rmSync(new URL(`../${outdir}`, import.meta.url), { recursive: true, force: true });

/**
 * commander requires node:child_process at load, for the executable subcommands rolplay does not
 * have; child_process brings net, dgram and streams with it, about 6 ms of every command. This
 * makes that require happen on first use. If commander's line changes, the bundle is built
 * as it is (a warning says so): only the saving is lost.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(plugin) {
    plugin.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!source.includes(eager)) {
        return { contents: source, loader: 'js', warnings: [{ text: 'commander no longer requires node:child_process as expected: it loads eagerly' }] };
      }
      return { contents: source.replace(eager, "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };"), loader: 'js' };
    });
  },
};

const bundle = `${outdir}/rolplay.cjs`;
await build({
  plugins: [lazyChildProcess],
  absWorkingDir: root,
  entryPoints: ['dist/cli/main.js'],
  outfile: bundle,
  bundle: true,
  // A script, not a module: only a script takes a code cache (see bin/load-rolplay.cjs). Each
  // `await import()` of our own code (the daemon, the cloud clients, the terminal UI, the demo)
  // stays lazy: its module's code runs only when a command imports it.
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Smaller source to read and hash at every start. Names are kept, so stack traces and
  // profiles stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  // Maps lead back to src/ through tsc's maps; with ROLPLAY_DEBUG, bin/rolplay.js loads the
  // bundle with require() and turns them on.
  sourcemap: true,
  logLevel: 'warning',
  // The three uses of import.meta.url in src/ find files next to their own module.
  define: { 'import.meta.url': '__rolplayModuleUrl' },
  banner: { js: "var __rolplayModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  external: [
    // pg's optional native driver. (better-sqlite3's JavaScript is bundled; its addon is loaded
    // by path: see src/store/open-sqlite-file.ts.)
    'pg-native',
    // pino runs transports (pino-pretty on a terminal) in worker threads that load files by
    // path from its own package folder, so it has to stay a package in node_modules.
    'pino',
    'pino-pretty',
    // The terminal UI: ink is an ES module whose layout engine (yoga-layout) loads its
    // WebAssembly with a top-level await, which a script cannot hold; it is imported, as a
    // package, when `meetings list` draws the UI. React stays a package too, so that ink and
    // our components share one copy.
    'ink',
    'react',
    'react/jsx-runtime',
    // ink imports its React DevTools bridge only when DEV=true; it is not a dependency.
    'react-devtools-core',
    // The cloud SDKs and the PostgreSQL driver load only in the daemon's code paths. Left as
    // packages, Node loads just the parts used (twilio and HubSpot load API groups on first
    // use); bundled, their 20 MB of source would be read at every start.
    'twilio',
    '@hubspot/api-client',
    '@google/genai',
    '@azure/msal-node',
    '@microsoft/microsoft-graph-client',
    'pg',
    // Large CommonJS packages that only the daemon uses: windows-iana's zone tables (calendar
    // times) and prom-client (/metrics, with its optional @opentelemetry/api). Bundled, their
    // 260 KB were read and copied by every command; left as packages, they load, uncached, when
    // the daemon starts. The rest stays in: libphonenumber-js checks the phone numbers of most
    // configs at every command (loading it uncached cost 30 ms more), kysely serves `report`, and
    // lamejs's require() build exports nothing (a browser IIFE).
    'windows-iana',
    'prom-client',
    '@opentelemetry/api',
  ],
});

// bin/load-rolplay.cjs reads the bundle as Latin-1, a plain copy of its bytes, where decoding
// UTF-8 took longer than anything else at start-up; that is only right for an ASCII file. esbuild
// escapes strings itself, not regular expressions: write such characters as \u escapes there.
const text = readFileSync(new URL(`../${bundle}`, import.meta.url), 'utf8');
const nonAscii = /[^\x00-\x7f]/.exec(text);
if (nonAscii) {
  process.stderr.write(`${bundle} is not ASCII: "${nonAscii[0]}" in ...${text.slice(Math.max(0, nonAscii.index - 60), nonAscii.index + 20)}...; escape it in src/ (\\u${nonAscii[0].charCodeAt(0).toString(16).padStart(4, '0')})\n`);
  process.exit(1);
}

// The code cache: a separate Node process (the same flags as a plain `node bin/rolplay.js`, which
// V8 checks) runs the common read commands on a scratch store and saves what it compiled.
const warm = spawnSync(process.execPath, [fileURLToPath(new URL('./warm-cache.cjs', import.meta.url))], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: '' },
});
if (warm.status !== 0) {
  process.stderr.write(`scripts/warm-cache.cjs failed (exit ${warm.status ?? warm.signal}): the built CLI does not run\n`);
  process.exit(1);
}
