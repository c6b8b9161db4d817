import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { boltLogger } from '../../../src/adapters/slack/bolt-logger.js';

function captured() {
  const lines: { level: number; msg: string; stack?: string }[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('Bolt and Socket Mode logs', () => {
  it('a dropped socket or failed reconnect attempt is a warning, without a stack', async () => {
    const { logger, lines } = captured();
    const bolt = boltLogger(logger);
    bolt.setName('socket-mode:SlackWebSocket:1');
    bolt.error('WebSocket error occurred: Received network error or non-101 status code.');
    bolt.error(`Failed to retrieve a new WSS URL (error: ${new Error('fetch failed')})`);
    bolt.error('Failed to send ping to Slack (error: x)');
    bolt.error(new Error('WebSocket error! closed'));
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => l.level)).toEqual([40, 40, 40, 40]);
    expect(lines.every((l) => !JSON.stringify(l).includes('    at '))).toBe(true);
  });

  it('other errors stay errors', async () => {
    const { logger, lines } = captured();
    boltLogger(logger).error('An unhandled error occurred while Bolt processed an event');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => l.level)).toEqual([50]);
  });
});
