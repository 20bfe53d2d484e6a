import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

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

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // vitest's default is one worker per core minus one: a single worker on a two-core CI
    // machine. Most files wait on real timers and child processes, so two run side by side.
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    reporters: ['default'],
  },
});
