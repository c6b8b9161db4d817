import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // sshd, Alertmanager and the Slack stand-in are real processes and ports: keep the 2-core machine calm.
    maxWorkers: 2,
    fileParallelism: true,
    // Tests leave the machine as they found it: one temp dir per run, removed at its end (global-setup),
    // and what each test file registered removed after it (test-setup).
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/test-setup.ts'],
    // The default, relied on: the setup file's afterAll runs after the test file's own.
    sequence: { hooks: 'stack' },
  },
});
