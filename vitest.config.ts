import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Most test time is spent waiting on real processes (sshd, Alertmanager, the Slack stand-in, the
    // bot itself), not on the CPU: on a 2-core machine two files at once took 5m19s, four 4m02s
    // with the CPU nearly saturated; three is the middle (docs/benchmarks.md, "The test suite").
    maxWorkers: 3,
    fileParallelism: true,
    // Tests leave the machine as they found it: one temp dir per run, removed at its end (global-setup),
    // and what each test file registered removed after it (test-setup).
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/test-setup.ts'],
    // The default, relied on: the setup file's afterAll runs after the test file's own.
    sequence: { hooks: 'stack' },
  },
});
