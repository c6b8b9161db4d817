import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // sshd, Alertmanager and the Slack stand-in are real processes and ports: keep the 2-core machine calm.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
