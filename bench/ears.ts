import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { startSlackTransport } from '../src/adapters/slack/start.js';
import { SlackStandin, STANDIN_APP_TOKEN, STANDIN_BOT_TOKEN } from '../test/support/slack-standin.js';
import { type BenchRow, row } from './table.js';

const RUNS = 5;

/**
 * Issue 22, case 5: how long from the moment Slack's socket goes silent (no frames, no pongs, not
 * closed) until the bot knows it cannot hear `stop`; beside it, a socket dropped outright (the
 * connection closes), measured the same way in the same run.
 */
export async function benchEars(): Promise<BenchRow[]> {
  const silent: number[] = [];
  const dropped: number[] = [];
  for (const mode of ['silent', 'dropped'] as const) {
    for (let i = 0; i < RUNS; i++) {
      const standin = await SlackStandin.start();
      const transport = await startSlackTransport({
        env: { SLACK_BOT_TOKEN: STANDIN_BOT_TOKEN, SLACK_APP_TOKEN: STANDIN_APP_TOKEN, SLACK_API_URL: standin.apiUrl },
        slack: {
          channel: 'C0BENCH',
          channels: [],
          admins: [],
          adminGroups: [],
          escalate: 'here',
          stopReactions: ['octagonal_sign'],
        },
        timezone: 'UTC',
        dryRun: true,
        logger: pino({ level: 'silent' }),
        handle: async () => ({ text: 'ok' }),
      });
      try {
        const t0 = performance.now();
        if (mode === 'silent') standin.silence();
        else standin.dropSockets();
        while (transport.hearing().ok) await new Promise((r) => setTimeout(r, 5));
        (mode === 'silent' ? silent : dropped).push(performance.now() - t0);
      } finally {
        await transport.stop();
        await standin.close();
      }
    }
  }
  const base = row('Socket Mode socket dropped → deaf', 'ms', dropped);
  return [
    base,
    row('Socket Mode socket silent (open, no frames, no pongs) → deaf (goal ≤ 5 s)', 'ms', silent, {
      baseline: { name: base.name, median: base.median, p99: base.p99 },
    }),
  ];
}
