import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { AttackRecord, HealthReport, SkipCode, TickOutcome } from '../../src/domain/model.js';
import {
  type DayInput,
  type DaySummary,
  type LocalDay,
  localDay,
  type ReportAudit,
  type ReportTick,
  summarizeDay,
} from '../../src/domain/report.js';
import { reportTables } from '../../src/words/report-block.js';
import { chatReport, reportLines, reportNoteText } from '../../src/words/report-text.js';
import type { Table } from '../../src/words/table.js';
import { plainText } from '../../src/words/tokens.js';
import { attackRecord } from '../support/records.js';
import { testConfig } from '../support/test-config.js';

const TZ = 'America/Los_Angeles';
const S = 1_000;
const MIN = 60 * S;
/** The morning after the Tuesday reported: the day is over. */
const WEDNESDAY_MORNING = DateTime.fromISO('2026-03-04T09:00', { zone: TZ }).toMillis();
const HOURS = { timezone: TZ, ...testConfig().businessHours };

/** Epoch ms of a local time (`HH:mm`) on Tuesday 2026-03-03. */
const at = (time: string): number => DateTime.fromISO(`2026-03-03T${time}`, { zone: TZ }).toMillis();

/** The summary of a local day, from the day's rows as the store gives them. */
function summary(date: string, rows: Partial<Pick<DayInput, 'attacks' | 'ticks' | 'health' | 'audit'>> = {}): DaySummary {
  return summarizeDay({
    day: localDay(date, TZ) as LocalDay,
    now: WEDNESDAY_MORNING,
    hours: HOURS,
    attacks: [],
    ticks: [],
    health: [],
    audit: [],
    ...rows,
  });
}

/** A ten-minute attack created at `created` (local, Tuesday), started 2 s later, as it ended. */
function ended(id: string, attack: string, host: string, created: string, end: Partial<AttackRecord>): AttackRecord {
  const createdAt = at(created);
  return attackRecord({
    id,
    attack,
    host,
    createdAt,
    startedAt: createdAt + 2 * S,
    deadlineAt: createdAt + 11 * MIN,
    durationMs: 10 * MIN,
    ...end,
  });
}

/**
 * Tuesday 2026-03-03, business hours 10:00–16:00 (360 minutes), all dry runs:
 *   10:00 #2 (completed)  10:01–10:09 in flight  10:10–10:59 cooldown  11:00–11:29 unhealthy
 *   11:30 #3 (auto-aborted)  11:31–11:59 in flight  12:00–12:59 halted (stop … start)
 *   13:00–13:19 Slack down  13:20 #4 (failed)  13:21–15:49 cooldown  15:50–15:59 bot down
 * plus a run-once at 14:00 (#5, orphaned).
 */
function tuesday(): Required<Pick<DayInput, 'attacks' | 'ticks' | 'health' | 'audit'>> {
  const dry = { dryRun: true };
  const attacks = [
    ended('2', 'cpu-burn', 'web-1', '10:00', { ...dry, state: 'completed', endedAt: at('10:10'), exitCode: 0, rollbackOk: true }),
    ended('3', 'net-delay', 'web-2', '11:30', {
      ...dry,
      state: 'reverted',
      endedAt: at('11:33'),
      reason: 'health check failed: prom-errors: 2 alerts firing: reverted in 1s',
      ending: { kind: 'health', failing: 'prom-errors: 2 alerts firing', revert: 'reverted' },
      rollbackOk: true,
    }),
    ended('4', 'cpu-burn', 'db-1', '13:20', {
      ...dry,
      state: 'failed',
      endedAt: at('13:22'),
      exitCode: 127,
      reason: 'exit 127: stress-ng: command not found',
      rollbackOk: false,
    }),
    ended('5', 'disk-fill', 'web-1', '14:00', {
      ...dry,
      trigger: { kind: 'user', user: 'U0ADMIN' },
      state: 'orphaned',
      endedAt: at('14:40'),
      reason: 'the bot restarted; reverted on recovery',
    }),
  ];
  const ticks: ReportTick[] = [];
  const tick = (from: string, count: number, outcome: TickOutcome) => {
    for (let i = 0; i < count; i++) ticks.push({ at: at(from) + i * MIN + 5, outcome });
  };
  const skip = (code: SkipCode, reason: string): TickOutcome => ({ kind: 'skipped', code, reason });
  tick('09:00', 60, skip('closed', 'outside business hours: opens Tue 10:00 America/Los_Angeles'));
  tick('10:00', 1, { kind: 'attacked', attackId: '2', attack: 'cpu-burn', host: 'web-1' });
  tick('10:01', 9, skip('in-flight', 'an attack is in flight'));
  tick('10:10', 50, skip('cooldown', 'cooldown until 10:20'));
  tick('11:00', 30, skip('unhealthy', 'unhealthy: api: HTTP 500'));
  tick('11:30', 1, { kind: 'attacked', attackId: '3', attack: 'net-delay', host: 'web-2' });
  tick('11:31', 29, skip('in-flight', 'an attack is in flight'));
  tick('12:00', 60, skip('halted', 'halted by U0ALICE at 12:00: deploy'));
  tick('13:00', 20, skip('deaf', 'cannot hear stop: Socket Mode disconnected'));
  tick('13:20', 1, { kind: 'attacked', attackId: '4', attack: 'cpu-burn', host: 'db-1' });
  tick('13:21', 149, skip('cooldown', 'cooldown until 13:32'));
  const api = (healthy: boolean) => ({
    name: 'api',
    kind: 'http',
    healthy,
    reason: healthy ? 'HTTP 200' : 'HTTP 500',
    durationMs: 4,
  });
  const health: HealthReport[] = [
    ...Array.from({ length: 30 }, (_, i) => ({ healthy: false, checkedAt: at('11:00') + i * MIN, results: [api(false)] })),
    { healthy: true, checkedAt: at('11:30'), results: [api(true)] },
    {
      healthy: false,
      checkedAt: at('11:32'),
      results: [api(true), { name: 'prom-errors', kind: 'prometheus', healthy: false, reason: '2 alerts firing', durationMs: 9 }],
    },
  ];
  const audit = (time: string, actor: string, command: string, outcome: string, detail: string): ReportAudit => ({
    at: at(time),
    actor,
    command,
    text: command,
    outcome,
    detail,
    action: command === 'stop' && outcome === 'ok' ? 'halted' : command === 'start' && outcome === 'ok' ? 'resumed' : null,
  });
  return {
    attacks,
    ticks,
    health,
    audit: [
      audit('12:00', 'U0ALICE', 'stop', 'ok', 'Halted by <@U0ALICE>: deploy.'),
      audit('13:00', 'U0ADMIN', 'start', 'ok', 'Resumed by <@U0ADMIN>.'),
      audit('14:00', 'U0ADMIN', 'run-once', 'ok', 'Attack #5 disk-fill on web-1.'),
      audit('14:05', 'U0BOB', 'run-once', 'refused', 'Sorry, only admins may `run-once`.'),
      audit('14:10', 'U0BOB', 'status', 'ok', 'Running.'),
    ],
  };
}

const rowsOf = (tables: readonly Table[], title: string) => tables.find((t) => t.title === title)?.rows ?? [];

describe('the daily report in words', () => {
  it('says the day, in the configured zone, dry or live, failures first', () => {
    const lines = reportLines(summary('2026-03-03', tuesday()), TZ).map((l) => plainText(l));
    expect(lines[0]).toBe('*ChaosCat report for Tue 2026-03-03* (America/Los_Angeles) — dry run only: no host was touched');
    expect(lines[1]).toBe('*Needs a look (2):*');
    expect(lines[2]).toBe('• #4 cpu-burn on db-1 *FAILED* at 13:22, rollback FAILED — exit 127: stress-ng: command not found');
    expect(lines[3]).toBe('• #5 disk-fill on web-1 *ORPHANED* at 14:40 — the bot restarted; reverted on recovery');
    expect(lines[4]).toBe('*4 attacks* on 3 hosts: 1 completed, 1 reverted, 1 failed, 1 orphaned (all dry run).');
  });

  it('in a chat, with the archive: the headline, the attacks that need a look linked to their pages, the link to the day', () => {
    const day = tuesday();
    const broke = Array.from({ length: 6 }, (_, i) =>
      ended(String(7 + i), 'cpu-burn', 'web-3', '15:00', {
        dryRun: true,
        state: 'failed',
        endedAt: at('15:01'),
        reason: `broke ${i}`,
      }),
    );
    const lines = plainText(
      chatReport(summary('2026-03-03', { ...day, attacks: [...day.attacks, ...broke] }), TZ, 'https://chaos.example.com', []),
    ).split('\n');
    expect(lines[0]).toMatch(/^\*ChaosCat report for Tue 2026-03-03\*/);
    expect(lines[1]).toBe('*10 attacks* on 4 hosts: 1 completed, 1 reverted, 7 failed, 1 orphaned (all dry run).');
    expect(lines[2]).toBe('*Needs a look (8):*');
    expect(lines.slice(3, 8)).toHaveLength(5);
    expect(lines[3]).toBe(
      '• #4 (https://chaos.example.com/attack/4) cpu-burn on db-1 *FAILED* at 13:22, rollback FAILED — exit 127: stress-ng: command not found',
    );
    expect(lines[8]).toBe("• +3 more on the day's page");
  });

  it('links the day in the archive', () => {
    const text = chatReport(summary('2026-03-03', tuesday()), TZ, 'https://chaos.example.com', []);
    expect(text).toContain('<https://chaos.example.com/day/2026-03-03|2026-03-03 in the archive>');
  });

  it('names the failing check of each auto-abort and the unhealthy and halted periods', () => {
    const text = plainText(reportLines(summary('2026-03-03', tuesday()), TZ).join('\n'));
    expect(text).toContain(
      '*Aborted by the bot (health, steady state, deafness) (1):* #3 net-delay on web-2 at 11:33 — prom-errors: 2 alerts firing',
    );
    expect(text).toContain('*Unhealthy:* 11:00–11:30 (api), 11:32–11:33 (prom-errors)');
    expect(text).toContain('*Halted:* 12:00–13:00 (stop by @U0ALICE)');
  });

  it('says how much of business hours was skipped and why, in the text and the table', () => {
    const day = summary('2026-03-03', tuesday());
    expect(reportLines(day, TZ).join('\n')).toContain(
      '*Business hours (6h):* attacks started in 3m; skipped 5h 47m — cooldown 3h 19m, halted 1h, attack in flight 38m, ' +
        'unhealthy 30m, Slack down (cannot hear stop) 20m; no record (bot not running) 10m.',
    );
    const minutes = Object.fromEntries(rowsOf(reportTables(day, TZ), 'Business minutes').map((r) => [r[0], Number(r[1])]));
    expect(minutes).toEqual({
      'attack started': 3,
      cooldown: 199,
      halted: 60,
      'attack in flight': 38,
      unhealthy: 30,
      'Slack down (cannot hear stop)': 20,
      'no record': 10,
    });
  });

  it('says who ran run-once, stop and start, and counts refusals', () => {
    const day = summary('2026-03-03', tuesday());
    expect(reportLines(day, TZ).join('\n')).toContain(
      '*Commands:* run-once ×1 (<@U0ADMIN>) · stop ×1 (<@U0ALICE>) · start ×1 (<@U0ADMIN>) · 1 refused or invalid',
    );
    const commands = rowsOf(reportTables(day, TZ), 'Commands').map((r) => plainText(r.slice(0, 4).join(' ')));
    expect(commands).toContain('12:00 PST stop @U0ALICE ok');
    expect(commands).toContain('14:05 PST run-once @U0BOB refused');
    expect(commands.join('\n')).not.toMatch(/status/);
  });

  it('says so for a day without attacks nor business hours', () => {
    const text = reportLines(summary('2026-02-28'), TZ).join('\n');
    expect(text).toContain('*ChaosCat report for Sat 2026-02-28*');
    expect(text).toContain('No attacks.');
    expect(text).toContain('*Business hours:* none on this day.');
    expect(text).not.toContain('Needs a look');
  });

  it('says why there is no report, and when the chart is missing', () => {
    expect(reportNoteText({ kind: 'not-a-date', wanted: '2026-02-30' })).toBe(
      'Cannot report 2026-02-30: not a date. Try `report YYYY-MM-DD`.',
    );
    expect(reportNoteText({ kind: 'not-begun', wanted: '2026-03-05', timezone: TZ })).toBe(
      'Nothing to report for 2026-03-05: the day has not begun in America/Los_Angeles.',
    );
    expect(reportNoteText({ kind: 'no-chart', cause: 'no canvas' })).toBe('(The chart could not be drawn: no canvas.)');
  });
});

describe('the report says dry or live from the records', () => {
  const day = (attacks: { dryRun: boolean }[]) =>
    summary('2026-03-03', {
      attacks: attacks.map((a, i) =>
        ended(String(i + 1), 'cpu-burn', 'web-1', `11:0${i}`, {
          state: 'completed',
          endedAt: at(`11:0${i + 1}`),
          dryRun: a.dryRun,
        }),
      ),
    });

  it.each([
    [[{ dryRun: false }, { dryRun: true }], ' — 1 live (hosts touched), 1 dry run'],
    [[{ dryRun: false }], ' — live: attacks ran on real hosts'],
    [[{ dryRun: true }], ' — dry run only: no host was touched'],
    [[], ''],
  ])('%j → "%s"', (attacks, words) => {
    expect(reportLines(day(attacks), TZ)[0]).toBe(`*ChaosCat report for Tue 2026-03-03* (America/Los_Angeles)${words}`);
  });

  it('lists when the bot was not running, as the chart draws it', () => {
    const ticks = Array.from({ length: 60 }, (_, i) => ({
      at: at('10:00') + i * MIN,
      outcome: { kind: 'skipped' as const, code: 'cooldown' as const, reason: 'cooldown' },
    }));
    const lines = reportLines(summary('2026-03-03', { ...day([{ dryRun: false }]), ticks }), TZ);
    expect(lines.map((l) => plainText(l))).toContain('*Bot not running:* 11:00–16:00');
  });
});

const RECOVERED_8_20 = 'detected after 8s (checkout-healthz: HTTP 503), recovered 20s later';
const NOT_RECOVERED = 'still failing 2m after the fault ended — checkout-healthz: connection refused';

/** A ten-minute live attack that completed, with its verdict. */
function judged(
  id: string,
  attack: string,
  host: string,
  created: string,
  verdict: Pick<AttackRecord, 'verdict' | 'verdictDetail'> & Partial<AttackRecord>,
): AttackRecord {
  return ended(id, attack, host, created, {
    state: 'completed',
    endedAt: at(created) + 10 * MIN,
    exitCode: 0,
    rollbackOk: true,
    ...verdict,
  });
}

/**
 * Tuesday 2026-03-03, live except #5:
 *   #1 10:00 cpu-burn web-1 held   #2 11:00 process-kill web-1 recovered (8s, 20s)
 *   #3 12:00 process-kill web-2 not recovered (5s)   #4 13:00 cpu-burn db-1 failed, no verdict
 *   #5 14:00 process-kill web-1 recovered (4s, 40s), dry run   #6 15:00 net-delay web-2 unknown
 */
function verdictDay(): AttackRecord[] {
  return [
    judged('1', 'cpu-burn', 'web-1', '10:00', { verdict: 'held', verdictDetail: 'no probe failed' }),
    judged('2', 'process-kill', 'web-1', '11:00', {
      verdict: 'recovered',
      ttdMs: 8 * S,
      ttrMs: 20 * S,
      verdictDetail: RECOVERED_8_20,
    }),
    judged('3', 'process-kill', 'web-2', '12:00', { verdict: 'not-recovered', ttdMs: 5 * S, verdictDetail: NOT_RECOVERED }),
    ended('4', 'cpu-burn', 'db-1', '13:00', {
      state: 'failed',
      endedAt: at('13:02'),
      exitCode: 127,
      reason: 'exit 127: stress-ng: command not found',
      rollbackOk: false,
    }),
    judged('5', 'process-kill', 'web-1', '14:00', {
      dryRun: true,
      verdict: 'recovered',
      ttdMs: 4 * S,
      ttrMs: 40 * S,
      verdictDetail: 'detected after 4s (mysvc: not running), recovered 40s later',
    }),
    judged('6', 'net-delay', 'web-2', '15:00', {
      verdict: 'unknown',
      verdictDetail: 'the bot stopped (shutdown) before the recovery window ended',
    }),
  ];
}

describe('the daily report with verdicts, in words', () => {
  it('lists not recovered, then recovered attacks first under "needs a look", each with its verdict line, a dry one marked', () => {
    const lines = reportLines(summary('2026-03-03', { attacks: verdictDay() }), TZ).map((l) => plainText(l));
    expect(lines.slice(1, 6)).toEqual([
      '*Needs a look (4):*',
      `• #3 process-kill on web-2 *NOT RECOVERED* at 12:10 — ${NOT_RECOVERED}`,
      `• #2 process-kill on web-1 *RECOVERED* at 11:10 — ${RECOVERED_8_20}`,
      '• #5 process-kill on web-1 *RECOVERED* (dry run) at 14:10 — detected after 4s (mysvc: not running), recovered 40s later',
      '• #4 cpu-burn on db-1 *FAILED* at 13:02, rollback FAILED — exit 127: stress-ng: command not found',
    ]);
  });

  it('counts verdicts on the totals line, with the median time to detect and to recover', () => {
    expect(reportLines(summary('2026-03-03', { attacks: verdictDay() }), TZ)).toContain(
      '*6 attacks* on 3 hosts: 5 completed, 0 reverted, 1 failed, 0 orphaned (1 dry run). ' +
        'Verdicts: 1 held, 2 recovered, 1 not recovered, 1 unknown (1 dry run); median time to detect 5s, to recover 30s.',
    );
  });

  it('gives the median time to detect and to recover per attack and per host, "—" where no attack had one', () => {
    const tables = reportTables(summary('2026-03-03', { attacks: verdictDay() }), TZ);
    expect(rowsOf(tables, 'Verdicts by attack')).toEqual([
      // attack, held, recovered, not recovered, unknown, detect (median), recover (median)
      ['process-kill', '0', '2', '1', '0', '5s', '30s'],
      ['cpu-burn', '1', '0', '0', '0', '—', '—'],
      ['net-delay', '0', '0', '0', '1', '—', '—'],
    ]);
    expect(rowsOf(tables, 'Verdicts by host')).toEqual([
      ['web-1', '1', '2', '0', '0', '6s', '30s'],
      ['web-2', '0', '0', '1', '1', '5s', '—'],
    ]);
  });

  it('says a failed attack did not recover on the same line', () => {
    const failed = judged('7', 'disk-fill', 'db-1', '15:30', {
      state: 'failed',
      endedAt: at('15:31'),
      exitCode: null,
      reason: 'exit 1: no space',
      rollbackOk: false,
      verdict: 'not-recovered',
      ttdMs: 3 * S,
      verdictDetail: 'still failing 5m after the fault ended — disk: 100% used',
    });
    const text = plainText(reportLines(summary('2026-03-03', { attacks: [...verdictDay(), failed] }), TZ).join('\n'));
    expect(text).toContain(
      '• #7 disk-fill on db-1 *NOT RECOVERED* at 15:31, attack FAILED, rollback FAILED — ' +
        'still failing 5m after the fault ended — disk: 100% used; exit 1: no space',
    );
    expect(text).toContain('*Needs a look (5):*');
  });

  it('says nothing of verdicts on a day without any', () => {
    const day = summary('2026-03-03', {
      attacks: [
        ended('1', 'cpu-burn', 'web-1', '10:00', { state: 'completed', endedAt: at('10:10'), exitCode: 0, rollbackOk: true }),
      ],
    });
    const text = reportLines(day, TZ).join('\n');
    expect(text).toContain('*1 attack* on 1 host: 1 completed, 0 reverted, 0 failed, 0 orphaned.');
    expect(text).not.toContain('Verdicts');
    expect(reportTables(day, TZ).map((t) => t.title)).not.toContain('Verdicts by attack');
  });
});
