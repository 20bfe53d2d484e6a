import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The longest files start first, so the two workers end together: on a fresh clone vitest has
 * no timings cached, and the crash test (about two minutes of daemons killed and restarted)
 * started late and ran alone at the end. The crash test and the multi-daemon test (the two
 * that need the most CPU on time) start on separate workers.
 */
const LONGEST_FIRST = [
  'test/reliability/crash.test.ts',
  'test/reliability/multi-daemon.test.ts',
  'test/reliability/faults.test.ts',
];

/**
 * Files that change process-wide state when loaded, so they get a fresh module cache: the
 * NO_COLOR test forces colours on before ink's chalk decides its colour level, once per process.
 */
const ISOLATED = ['test/cli/tui/no-color.test.tsx'];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((path) => f.moduleId.endsWith(path));
      return i === -1 ? LONGEST_FIRST.length : i;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

const perFile = { testTimeout: 30_000, hookTimeout: 30_000, pool: 'forks' } as const;
const ALL = ['test/**/*.test.ts', 'test/**/*.test.tsx'];

export default defineConfig({
  test: {
    // vitest's default is one worker per core minus one: a single worker on a two-core CI
    // machine. Most files wait on real timers and child processes, so two run side by side.
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    reporters: ['default'],
    projects: [
      // Test files share their worker's module cache: each file no longer imports and transforms
      // the same few hundred modules again (110 s of the suite's time, 16 s shared). The code
      // keeps no module-level state (STYLE.md), and every test builds its own store, clock and
      // simulators, so nothing carries from one file to the next.
      { test: { ...perFile, name: 'shared', isolate: false, include: ALL, exclude: [...configDefaults.exclude, ...ISOLATED] } },
      { test: { ...perFile, name: 'isolated', isolate: true, include: ISOLATED } },
    ],
  },
});
