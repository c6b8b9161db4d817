import { afterEach, describe, expect, it } from 'vitest';
import { type LocalDay, localDay, summarizeDay } from '../../../src/domain/report.js';
import { reportLines } from '../../../src/words/report-text.js';
import { plainText } from '../../../src/words/tokens.js';
import { type Harness, harness, say } from '../../support/bot-harness.js';
import { attackRecord } from '../../support/records.js';

const TZ = 'UTC';
const MIN = 60_000;
const DAY = localDay('2026-03-03', TZ) as LocalDay;
const at = (h: number, m = 0) => DAY.start + (h * 60 + m) * MIN;
const HOURS = { timezone: TZ, days: ['tue' as const], start: '10:00', end: '16:00', holidays: [] };

function day(attacks: { dryRun: boolean }[], ticks: number[] = []) {
  return summarizeDay({
    day: DAY,
    now: DAY.end,
    hours: HOURS,
    attacks: attacks.map((a, i) =>
      attackRecord({ id: String(i + 1), createdAt: at(11, i), startedAt: at(11, i), endedAt: at(11, i + 1), dryRun: a.dryRun }),
    ),
    ticks: ticks.map((t) => ({ at: t, outcome: { kind: 'skipped' as const, code: 'cooldown' as const, reason: 'cooldown' } })),
    health: [],
    audit: [],
  });
}

describe('the report says dry or live from the records', () => {
  it.each([
    [[{ dryRun: false }, { dryRun: true }], ' — 1 live (hosts touched), 1 dry run'],
    [[{ dryRun: false }], ' — live: attacks ran on real hosts'],
    [[{ dryRun: true }], ' — dry run only: no host was touched'],
    [[], ''],
  ])('%j → "%s"', (attacks, words) => {
    expect(reportLines(day(attacks), TZ)[0]).toBe(`*ChaosCat report for Tue 2026-03-03* (UTC)${words}`);
  });

  it('lists when the bot was not running, as the chart draws it', () => {
    const ticks = Array.from({ length: 60 }, (_, i) => at(10, i));
    const lines = reportLines(day([{ dryRun: false }], ticks), TZ);
    expect(lines.map((l) => plainText(l))).toContain('*Bot not running:* 11:00–16:00');
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
