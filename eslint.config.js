// Lint rules keep the layers apart (STYLE.md): domain has no I/O and no SDK; each SDK is
// imported only under its own clients/ folder; cli and daemon never call an SDK directly.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sdk = (except) => ['@azure/msal-node', '@microsoft/microsoft-graph-client', '@google/genai', 'twilio', '@hubspot/api-client']
  .filter((name) => name !== except)
  .map((name) => ({ name, message: `only src/clients/ may import ${name}` }));

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/clients/**', 'src/sandbox/**'],
    rules: { 'no-restricted-imports': ['error', { paths: sdk() }] },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...sdk(), 'node:fs', 'node:http', 'node:net', 'pg', 'better-sqlite3', 'kysely'].map((p) => (typeof p === 'string' ? { name: p, message: 'domain/ is pure: no I/O' } : p)),
        patterns: [{ group: ['../store/*', '../clients/*', '../lifecycle/*', '../daemon/*', '../cli/*'], message: 'domain/ imports nothing above it' }],
      }],
    },
  },
  {
    // Layers import one way: cli and daemon -> lifecycle -> domain + store + clients.
    files: ['src/lifecycle/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: sdk(),
        patterns: [{ group: ['**/daemon/*', '**/cli/*', '**/bench/*', '**/demo/*'], message: 'lifecycle/ is below cli/ and daemon/: it imports nothing from them (the job contract lives in lifecycle/jobs/)' }],
      }],
    },
  },
  ...[['src/store/**/*.ts', 'src/support/**/*.ts', 'src/config/**/*.ts'], ['src/clients/**/*.ts']].map((files) => ({
    files,
    rules: {
      'no-restricted-imports': ['error', {
        // clients/ may import its own SDK; the others none.
        paths: files[0].startsWith('src/clients') ? [] : sdk(),
        patterns: [{ group: ['**/lifecycle/*', '**/lifecycle/**', '**/daemon/*', '**/cli/*'], message: 'store/, clients/, support/ and config/ sit below the use cases: they import nothing from lifecycle/, daemon/ or cli/' }],
      }],
    },
  })),
  {
    files: ['test/**/*.ts', 'test/**/*.tsx', 'src/bench/**/*.ts', 'src/cli/**/*.ts', 'src/cli/**/*.tsx'],
    rules: { 'no-console': 'off' },
  },
);
