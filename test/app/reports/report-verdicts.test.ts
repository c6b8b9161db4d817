import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderTimelinePng } from '../../../src/adapters/chart/timeline-chart.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { buildReport, type ReportDeps } from '../../../src/app/reports/report.js';
import type { VerdictKindStored } from '../../../src/domain/model.js';
import type { Reply } from '../../../src/ports/chat.js';
import type { AttackFinish } from '../../../src/ports/store.js';
import { plainText } from '../../../src/words/tokens.js';
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

/** The rows of the reply's table titled `title`. */
function tableRows(tables: Reply['tables'], title: string): (readonly string[])[] {
  return [...(tables?.find((t) => t.title === title)?.rows ?? [])];
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

describe('the daily report with verdicts', () => {
  it('lists not recovered, then recovered attacks first under "needs a look", each with its verdict line, a dry one marked', async () => {
    const lines = plainText((await buildReport(deps)).text).split('\n');
    expect(lines.slice(1, 6)).toEqual([
      '*Needs a look (4):*',
      `• #3 process-kill on web-2 *NOT RECOVERED* at 12:10 — ${NOT_RECOVERED}`,
      `• #2 process-kill on web-1 *RECOVERED* at 11:10 — ${RECOVERED_8_20}`,
      '• #5 process-kill on web-1 *RECOVERED* (dry run) at 14:10 — detected after 4s (mysvc: not running), recovered 40s later',
      '• #4 cpu-burn on db-1 *FAILED* at 13:02, rollback FAILED — exit 127: stress-ng: command not found',
    ]);
  });

  it('counts verdicts on the totals line, with the median time to detect and to recover', async () => {
    const { text } = await buildReport(deps);
    expect(text).toContain(
      '*6 attacks* on 3 hosts: 5 completed, 0 reverted, 1 failed, 0 orphaned (1 dry run). ' +
        'Verdicts: 1 held, 2 recovered, 1 not recovered, 1 unknown (1 dry run); median time to detect 5s, to recover 30s.',
    );
  });

  it('gives the median time to detect and to recover per attack and per host, "—" where no attack had one', async () => {
    const tables = (await buildReport(deps)).full?.tables;
    expect(tableRows(tables, 'Verdicts by attack')).toEqual([
      // attack, held, recovered, not recovered, unknown, detect (median), recover (median)
      ['process-kill', '0', '2', '1', '0', '5s', '30s'],
      ['cpu-burn', '1', '0', '0', '0', '—', '—'],
      ['net-delay', '0', '0', '0', '1', '—', '—'],
    ]);
    // db-1 had no verdict (its attack failed before one): it has no row here.
    expect(tableRows(tables, 'Verdicts by host')).toEqual([
      ['web-1', '1', '2', '0', '0', '6s', '30s'],
      ['web-2', '0', '0', '1', '1', '5s', '—'],
    ]);
  });

  it('says a failed attack did not recover on the same line', async () => {
    add({
      attack: 'disk-fill',
      host: 'db-1',
      created: '15:30',
      finish: { state: 'failed', endedAt: at('15:31'), reason: 'exit 1: no space', rollbackOk: false },
      verdict: { kind: 'not-recovered', ttdMs: 3 * S, detail: 'still failing 5m after the fault ended — disk: 100% used' },
    });
    const text = plainText((await buildReport(deps)).text);
    expect(text).toContain(
      '• #7 disk-fill on db-1 *NOT RECOVERED* at 15:31, attack FAILED, rollback FAILED — ' +
        'still failing 5m after the fault ended — disk: 100% used; exit 1: no space',
    );
    expect(text).toContain('*Needs a look (5):*');
  });

  it('says nothing of verdicts on a day without any', async () => {
    add({ attack: 'cpu-burn', host: 'web-1', created: '2026-03-02T10:00' });
    const { text, full } = await buildReport(deps, '2026-03-02');
    const tables = full?.tables;
    expect(text).toContain('*1 attack* on 1 host: 1 completed, 0 reverted, 0 failed, 0 orphaned.');
    expect(text).not.toContain('Verdicts');
    expect(tables?.map((t) => t.title)).not.toContain('Verdicts by attack');
  });

  it('still attaches the timeline PNG with verdict marks and spans', async () => {
    const [chart] = (await buildReport(deps)).attachments ?? [];
    const png = decodePng(chart?.data ?? new Uint8Array());
    expect([png.width, png.height]).toEqual([2400, 1000]);
  });
});
