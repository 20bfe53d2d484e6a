// Second half of `npm run build`: links tsc's output (dist/cli/main.js and what it imports)
// into a few ESM files in dist/bundle/, which bin/rolplay.js loads. Resolving, reading and
// compiling some 500 separate modules (ours, kysely, zod, libphonenumber-js...) was most of
// the start-up time of every command; Node 20 has no compile cache to hide it.
import { rmSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// Two folders below the package root, like dist/cli/: src/cli/version.ts reads
// ../../package.json relative to its own file, and keeps working from here.
const outdir = 'dist/bundle';

// Chunk names carry a content hash: clear out the previous build's chunks.
rmSync(new URL(`../${outdir}`, import.meta.url), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { main: 'dist/cli/main.js' },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Each `await import()` in the CLI (the daemon, the cloud clients, the terminal UI, the demo)
  // becomes its own chunk, still loaded only by the commands that need it.
  splitting: true,
  // Node 20 decodes, parses and compiles every byte of a chunk it loads (no compile cache):
  // without comments and whitespace the chunks are about half the size. Names are kept, so
  // stack traces and profiles stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  // Maps lead back to src/ through tsc's maps; bin/rolplay.js turns them on for ROLPLAY_DEBUG.
  sourcemap: true,
  logLevel: 'warning',
  external: [
    // A native addon, and pg's optional native driver.
    'better-sqlite3',
    'pg-native',
    // pino runs transports (pino-pretty on a terminal) in worker threads that load files by
    // path from its own package folder, so it has to stay a package in node_modules.
    'pino',
    'pino-pretty',
    // ink imports its React DevTools bridge only when DEV=true; it is not a dependency.
    'react-devtools-core',
    // The cloud SDKs and the PostgreSQL driver load only in the lazy daemon-side chunks. Left as
    // packages, Node loads just the parts used (twilio and HubSpot load API groups on first
    // use); bundled, their 20 MB of source would be parsed and kept by every `rolplay start`.
    'twilio',
    '@hubspot/api-client',
    '@google/genai',
    '@azure/msal-node',
    '@microsoft/microsoft-graph-client',
    'pg',
  ],
  // Bundled CommonJS packages (commander, react...) call require()
  // for Node's built-in modules, and an ES module has no require of its own.
  banner: { js: "import { createRequire as __rolplayCreateRequire } from 'node:module'; const require = __rolplayCreateRequire(import.meta.url);" },
});
