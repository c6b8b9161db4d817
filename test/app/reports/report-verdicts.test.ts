import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderTimelinePng } from '../../../src/adapters/chart/timeline-chart.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { buildReport, type ReportDeps, reportContent } from '../../../src/app/reports/report.js';
import type { VerdictKindStored } from '../../../src/domain/model.js';
import type { DaySummary } from '../../../src/domain/report.js';
import type { AttackFinish } from '../../../src/ports/store.js';
import { reportTables } from '../../../src/words/report-block.js';
import { reportLines } from '../../../src/words/report-text.js';
import { decodePng } from '../../adapters/chart/png.js';
import { FixedClock, silentLogger } from '../../support/fakes.js';
import { MIGRATIONS, testConfig } from '../../support/test-config.js';

const TZ = 'America/Los_Angeles';
const S = 1_000;
const MIN = 60 * S;
const WEDNESDAY_MORNING = DateTime.fromISO('2026-03-04T09:00', { zone: TZ }).toMillis();

/** Epoch ms of a local time (`HH:mm`) on Tuesday 2026-03-03, or of a local `YYYY-MM-DDTHH:mm`. */
const at = (time: string): number => DateTime.fromISO(time.includes('T') ? time : `2026-03-03T${time}`, { zone: TZ }).toMillis();

let store: SqliteStore;
let deps: ReportDeps;

interface Seeded {
  readonly attack: string;
  readonly host: string;
  readonly created: string;
  readonly dryRun?: boolean;
  readonly finish?: Partial<AttackFinish>;
  readonly verdict?: { kind: VerdictKindStored; ttdMs?: number; ttrMs?: number; detail: string };
}

/** A ten-minute attack, and its verdict as the runner records it. */
function add(a: Seeded): string {
  const createdAt = at(a.created);
  const id = store.insertAttack({
    attack: a.attack,
    host: a.host,
    trigger: { kind: 'schedule' },
    dryRun: a.dryRun ?? false,
    createdAt,
    deadlineAt: createdAt + 11 * MIN,
    durationMs: 10 * MIN,
  });
  store.markRunning(id, createdAt + 2 * S, 4242);
  store.finishAttack(id, { state: 'completed', endedAt: createdAt + 10 * MIN, exitCode: 0, rollbackOk: true, ...a.finish });
  if (a.verdict) {
    const { kind, ttdMs = null, ttrMs = null, detail } = a.verdict;
    store.setVerdict(id, { kind, ttdMs, ttrMs, detail });
  }
  return id;
}

const RECOVERED_8_20 = 'detected after 8s (checkout-healthz: HTTP 503), recovered 20s later';
const NOT_RECOVERED = 'still failing 2m after the fault ended — checkout-healthz: connection refused';

/**
 * Tuesday 2026-03-03, live (not dry run) except #5:
 *   #1 10:00 cpu-burn web-1 held   #2 11:00 process-kill web-1 recovered (8s, 20s)
 *   #3 12:00 process-kill web-2 not recovered (5s)   #4 13:00 cpu-burn db-1 failed, no verdict
 *   #5 14:00 process-kill web-1 recovered (4s, 40s), dry run   #6 15:00 net-delay web-2 unknown
 */
function seed(): void {
  add({ attack: 'cpu-burn', host: 'web-1', created: '10:00', verdict: { kind: 'held', detail: 'no probe failed' } });
  add({
    attack: 'process-kill',
    host: 'web-1',
    created: '11:00',
    verdict: { kind: 'recovered', ttdMs: 8 * S, ttrMs: 20 * S, detail: RECOVERED_8_20 },
  });
  add({
    attack: 'process-kill',
    host: 'web-2',
    created: '12:00',
    verdict: { kind: 'not-recovered', ttdMs: 5 * S, detail: NOT_RECOVERED },
  });
  add({
    attack: 'cpu-burn',
    host: 'db-1',
    created: '13:00',
    finish: {
      state: 'failed',
      endedAt: at('13:02'),
      exitCode: 127,
      reason: 'exit 127: stress-ng: command not found',
      rollbackOk: false,
    },
  });
  add({
    attack: 'process-kill',
    host: 'web-1',
    created: '14:00',
    dryRun: true,
    verdict: {
      kind: 'recovered',
      ttdMs: 4 * S,
      ttrMs: 40 * S,
      detail: 'detected after 4s (mysvc: not running), recovered 40s later',
    },
  });
  add({
    attack: 'net-delay',
    host: 'web-2',
    created: '15:00',
    verdict: { kind: 'unknown', detail: 'the bot stopped (shutdown) before the recovery window ended' },
  });
}

beforeEach(() => {
  const config = { ...testConfig(), dryRun: false };
  store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
  deps = {
    store,
    clock: new FixedClock(WEDNESDAY_MORNING),
    config,
    renderChart: (t) => renderTimelinePng(t),
    logger: silentLogger,
  };
  seed();
});
afterEach(() => store.close());

/** The day's summary the report is made of (the domain's numbers, before any words). */
function summaryOf(date?: string): DaySummary {
  const content = reportContent(deps, date);
  if (content.kind !== 'report') throw new Error(`no report: ${content.text}`);
  return content.summary;
}

/** A tally's verdict counts and medians: held, recovered, not recovered, unknown, median ttd, median ttr. */
const verdictsOf = (t: DaySummary['byAttack'][number]) => [
  t.key,
  t.verdicts.held,
  t.verdicts.recovered,
  t.verdicts.notRecovered,
  t.verdicts.unknown,
  t.medianTtdMs,
  t.medianTtrMs,
];

describe('the daily report with verdicts', () => {
  it('flags not recovered, then recovered attacks first under "needs a look", each with its stored verdict, a dry one kept', async () => {
    const summary = summaryOf();
    expect(summary.flagged.map((r) => [r.id, r.verdict, r.dryRun, r.verdictDetail])).toEqual([
      ['3', 'not-recovered', false, NOT_RECOVERED],
      ['2', 'recovered', false, RECOVERED_8_20],
      ['5', 'recovered', true, 'detected after 4s (mysvc: not running), recovered 40s later'],
      ['4', null, false, null],
    ]);
    expect((await buildReport(deps)).text).toBe(reportLines(summary, TZ).join('\n'));
  });

  it('counts verdicts in the totals, with the median time to detect and to recover', () => {
    const { totals, dryRuns } = summaryOf();
    expect(totals).toMatchObject({
      total: 6,
      completed: 5,
      failed: 1,
      verdicts: { held: 1, recovered: 2, notRecovered: 1, unknown: 1, dry: 1 },
      medianTtdMs: 5 * S,
      medianTtrMs: 30 * S,
    });
    expect(dryRuns).toBe(1);
  });

  it('gives the median time to detect and to recover per attack and per host, null where no attack had one', () => {
    const summary = summaryOf();
    expect(summary.byAttack.map(verdictsOf)).toEqual([
      ['process-kill', 0, 2, 1, 0, 5 * S, 30 * S],
      ['cpu-burn', 1, 0, 0, 0, null, null],
      ['net-delay', 0, 0, 0, 1, null, null],
    ]);
    expect(summary.byHost.map(verdictsOf)).toEqual(
      expect.arrayContaining([
        ['web-1', 1, 2, 0, 0, 6 * S, 30 * S],
        ['web-2', 0, 0, 1, 1, 5 * S, null],
        // db-1's attack failed before a verdict.
        ['db-1', 0, 0, 0, 0, null, null],
      ]),
    );
  });

  it('flags a failed attack that did not recover with both its state and its verdict', () => {
    const id = add({
      attack: 'disk-fill',
      host: 'db-1',
      created: '15:30',
      finish: { state: 'failed', endedAt: at('15:31'), reason: 'exit 1: no space', rollbackOk: false },
      verdict: { kind: 'not-recovered', ttdMs: 3 * S, detail: 'still failing 5m after the fault ended — disk: 100% used' },
    });
    const summary = summaryOf();
    expect(summary.flagged).toHaveLength(5);
    expect(summary.flagged.find((r) => r.id === id)).toMatchObject({
      state: 'failed',
      rollbackOk: false,
      reason: 'exit 1: no space',
      verdict: 'not-recovered',
      verdictDetail: 'still failing 5m after the fault ended — disk: 100% used',
    });
  });

  it('counts no verdict on a day without any', async () => {
    add({ attack: 'cpu-burn', host: 'web-1', created: '2026-03-02T10:00' });
    const summary = summaryOf('2026-03-02');
    expect(summary.totals).toMatchObject({
      total: 1,
      completed: 1,
      verdicts: { held: 0, recovered: 0, notRecovered: 0, unknown: 0 },
    });
    const { text, full } = await buildReport(deps, '2026-03-02');
    expect(text).toBe(reportLines(summary, TZ).join('\n'));
    expect(full?.tables).toEqual(reportTables(summary, TZ));
  });

  it('still attaches the timeline PNG with verdict marks and spans', async () => {
    const [chart] = (await buildReport(deps)).attachments ?? [];
    const png = decodePng(chart?.data ?? new Uint8Array());
    expect([png.width, png.height]).toEqual([2400, 1000]);
  });
});
