import { afterEach, describe, expect, it } from 'vitest';
import { type LocalDay, localDay, summarizeDay } from '../../../src/domain/report.js';
import { type Harness, harness, say } from '../../support/bot-harness.js';
import { attackRecord } from '../../support/records.js';

const TZ = 'UTC';
const MIN = 60_000;
const DAY = localDay('2026-03-03', TZ) as LocalDay;
const at = (h: number, m = 0) => DAY.start + (h * 60 + m) * MIN;
const HOURS = { timezone: TZ, days: ['tue' as const], start: '10:00', end: '16:00', holidays: [] };

describe('the report knows when the bot was not running', () => {
  it('from the ticks: none after 11:00, so down from then to the end of business hours, as the chart draws it', () => {
    const summary = summarizeDay({
      day: DAY,
      now: DAY.end,
      hours: HOURS,
      attacks: [attackRecord({ createdAt: at(11), startedAt: at(11), endedAt: at(11, 1), dryRun: false })],
      ticks: Array.from({ length: 60 }, (_, i) => ({
        at: at(10, i),
        outcome: { kind: 'skipped' as const, code: 'cooldown' as const, reason: 'cooldown' },
      })),
      health: [],
      audit: [],
    });
    expect(summary.timeline.down).toMatchObject([{ start: at(11), end: at(16) }]);
  });
});

describe('stop and start are audited with what they did', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('records halted / resumed / none as data on the audit row', async () => {
    h = harness();
    await say(h, 'start');
    await say(h, 'stop deploy');
    await say(h, 'stop again');
    await say(h, 'start');
    await say(h, 'status');
    const rows = h.store.auditBetween(0, Number.MAX_SAFE_INTEGER);
    expect(rows.map((r) => [r.command, r.action])).toEqual([
      ['start', 'none'],
      ['stop', 'halted'],
      ['stop', 'halted'],
      ['start', 'resumed'],
      ['status', null],
    ]);
  });
});
