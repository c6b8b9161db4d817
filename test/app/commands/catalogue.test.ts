import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness, say } from '../../support/bot-harness.js';

let h: Harness | undefined;
afterEach(() => h?.close());

describe('attacks and hosts: how many hosts each attack may hit', () => {
  it('counts the hosts each selector takes and how many one run hits, and shows parameter bounds', async () => {
    h = harness(
      {
        hosts: ['web-1', 'web-2', 'web-3', 'web-canary', 'db-1'].map((name) => ({
          name,
          address: '127.0.0.1',
          port: 22,
          tags: [name.startsWith('web') ? 'web' : 'db', ...(name === 'web-canary' ? ['canary'] : [])],
        })),
      },
      [
        {
          name: 'latency',
          weight: 1,
          targets: { tags: ['web'], exclude: ['canary'] },
          params: {
            DELAY_MS: { default: 200, min: 1, max: 10000, unit: 'ms' },
            SIGNAL: { default: 'KILL', enum: ['KILL', 'TERM'] },
          },
          blastRadius: { percent: 50 },
        },
        { name: 'numbered', weight: 1, targets: { names: '^web-[0-9]+$' }, blastRadius: { count: 9 } },
        { name: 'nowhere', weight: 1, targets: ['cache'] },
      ],
    );
    const attacks = await say(h, 'attacks');
    const row = (name: string) => attacks.tables?.[0]?.rows.find((r) => r[0] === name);
    expect(attacks.tables?.[0]?.columns).toEqual(['attack', 'lasts', 'chance', 'targets', 'reach', 'params', 'what it does']);
    expect(row('latency')?.slice(3)).toEqual([
      'web; not canary',
      'may hit 3 hosts, 1 per run',
      'DELAY_MS=200 (1..10000 ms), SIGNAL=KILL (KILL|TERM)',
      'test attack latency',
    ]);
    // count 9 of 3 eligible: never all of them without allowAll.
    expect(row('numbered')?.slice(3, 5)).toEqual(['names ^web-[0-9]+$', 'may hit 3 hosts, 2 per run']);
    expect(row('nowhere')?.[4]).toBe('may hit no host');
    const hosts = await say(h, 'hosts');
    expect(hosts.text.split('\n').slice(-4)).toEqual([
      '*Attacks:*',
      'latency: may hit 3 hosts, 1 per run',
      'nowhere: may hit no host',
      'numbered: may hit 3 hosts, 2 per run',
    ]);
  });
});
