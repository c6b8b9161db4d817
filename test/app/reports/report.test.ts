import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderTimelinePng } from '../../../src/adapters/chart/timeline-chart.js';
import { ConsoleTransport } from '../../../src/adapters/console/console-transport.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { systemTimers } from '../../../src/adapters/system/timers.js';
import { createBot } from '../../../src/app/bot.js';
import { buildReport, createReportCommand, type ReportDeps, reportContent } from '../../../src/app/reports/report.js';
import type { Config } from '../../../src/config/config.js';
import type { SkipCode, TickOutcome } from '../../../src/domain/model.js';
import { type DaySummary, dayMode } from '../../../src/domain/report.js';
import type { AuditEntry } from '../../../src/ports/store.js';
import { reportTables } from '../../../src/words/report-block.js';
import { chatReport, reportLines, reportNoteText } from '../../../src/words/report-text.js';
import { plainText } from '../../../src/words/tokens.js';
import { decodePng } from '../../adapters/chart/png.js';
import { tempDir } from '../../support/cleanup.js';
import {
  ControlledExecutor,
  FixedClock,
  RecordingAnnouncer,
  ScriptedHealth,
  ScriptedRandom,
  silentLogger,
} from '../../support/fakes.js';
import { MIGRATIONS, testConfig } from '../../support/test-config.js';

const TZ = 'America/Los_Angeles';
const MIN = 60_000;
/** The morning after the seeded Tuesday: `report` with no date means that Tuesday. */
const WEDNESDAY_MORNING = DateTime.fromISO('2026-03-04T09:00', { zone: TZ }).toMillis();

/** Epoch ms of a local time (`HH:mm`) on Tuesday 2026-03-03, or of a local `YYYY-MM-DDTHH:mm`. */
function at(time: string): number {
  return DateTime.fromISO(time.includes('T') ? time : `2026-03-03T${time}`, { zone: TZ }).toMillis();
}

let config: Config;
let store: SqliteStore;
let clock: FixedClock;
let deps: ReportDeps;

function ticks(from: string, count: number, outcome: TickOutcome): void {
  for (let i = 0; i < count; i++) store.recordTick(at(from) + i * MIN + 5, outcome);
}
const skip = (code: SkipCode, reason: string = code): TickOutcome => ({ kind: 'skipped', code, reason });

function addAttack(
  attack: string,
  host: string,
  created: string,
  finish: Parameters<SqliteStore['finishAttack']>[1],
  user?: string,
): string {
  const createdAt = at(created);
  const id = store.insertAttack({
    attack,
    host,
    trigger: user ? { kind: 'user', user } : { kind: 'schedule' },
    dryRun: true,
    createdAt,
    deadlineAt: createdAt + 11 * MIN,
    durationMs: 10 * MIN,
  });
  store.markRunning(id, createdAt + 2_000, 4242);
  store.finishAttack(id, finish);
  return id;
}

/** An audit row with the action the bot records: a stop that halted, a start that resumed. */
function audit(time: string, actor: string, command: string, outcome: string, detail: string): void {
  const action = command === 'stop' && outcome === 'ok' ? 'halted' : command === 'start' && outcome === 'ok' ? 'resumed' : null;
  const entry: AuditEntry = { at: at(time), actor, transport: 'slack-mention', command, text: command, outcome, detail, action };
  store.audit(entry);
}

/**
 * Tuesday 2026-03-03, business hours 10:00–16:00 (360 minutes):
 *   10:00 attack #1 (completed)  10:01–10:09 in flight  10:10–10:59 cooldown  11:00–11:29 unhealthy
 *   11:30 attack #2 (auto-aborted)  11:31–11:59 in flight  12:00–12:59 halted (stop … start)
 *   13:00–13:19 Slack down  13:20 attack #3 (failed)  13:21–15:49 cooldown  15:50–15:59 bot down
 * plus a run-once at 14:00 (#4, orphaned) and attacks on the days either side, which must not count.
 */
function seed(): void {
  addAttack('cpu-burn', 'web-1', '2026-03-02T23:50', {
    state: 'failed',
    endedAt: at('2026-03-02T23:55'),
    reason: 'the day before',
  });
  ticks('09:00', 60, skip('closed', 'outside business hours: opens Tue 10:00 America/Los_Angeles'));
  const first = addAttack('cpu-burn', 'web-1', '10:00', {
    state: 'completed',
    endedAt: at('10:10'),
    exitCode: 0,
    rollbackOk: true,
  });
  ticks('10:00', 1, { kind: 'attacked', attackId: first, attack: 'cpu-burn', host: 'web-1' });
  ticks('10:01', 9, skip('in-flight', 'an attack is in flight'));
  ticks('10:10', 50, skip('cooldown', 'cooldown until 10:20'));
  ticks('11:00', 30, skip('unhealthy', 'unhealthy: api: HTTP 500'));
  for (let i = 0; i < 30; i++) {
    store.recordHealth({
      healthy: false,
      checkedAt: at('11:00') + i * MIN,
      results: [{ name: 'api', kind: 'http', healthy: false, reason: 'HTTP 500', durationMs: 4 }],
    });
  }
  store.recordHealth({
    healthy: true,
    checkedAt: at('11:30'),
    results: [{ name: 'api', kind: 'http', healthy: true, reason: 'HTTP 200', durationMs: 4 }],
  });
  const second = addAttack('net-delay', 'web-2', '11:30', {
    state: 'reverted',
    endedAt: at('11:33'),
    reason: 'health check failed: prom-errors: 2 alerts firing: reverted in 1s',
    ending: { kind: 'health', failing: 'prom-errors: 2 alerts firing', revert: 'reverted' },
    rollbackOk: true,
  });
  store.recordHealth({
    healthy: false,
    checkedAt: at('11:32'),
    results: [
      { name: 'api', kind: 'http', healthy: true, reason: 'HTTP 200', durationMs: 4 },
      { name: 'prom-errors', kind: 'prometheus', healthy: false, reason: '2 alerts firing', durationMs: 9 },
    ],
  });
  ticks('11:30', 1, { kind: 'attacked', attackId: second, attack: 'net-delay', host: 'web-2' });
  ticks('11:31', 29, skip('in-flight', 'an attack is in flight'));
  audit('12:00', 'U0ALICE', 'stop', 'ok', 'Halted by <@U0ALICE>: deploy. Nothing starts until an admin says `start`.');
  ticks('12:00', 60, skip('halted', 'halted by U0ALICE at 12:00: deploy'));
  audit('13:00', 'U0ADMIN', 'start', 'ok', 'Resumed by <@U0ADMIN>. The scheduler may attack again within business hours.');
  ticks('13:00', 20, skip('deaf', 'cannot hear stop: Socket Mode disconnected'));
  const third = addAttack('cpu-burn', 'db-1', '13:20', {
    state: 'failed',
    endedAt: at('13:22'),
    exitCode: 127,
    reason: 'exit 127: stress-ng: command not found',
    rollbackOk: false,
  });
  ticks('13:20', 1, { kind: 'attacked', attackId: third, attack: 'cpu-burn', host: 'db-1' });
  ticks('13:21', 149, skip('cooldown', 'cooldown until 13:32'));
  audit('14:00', 'U0ADMIN', 'run-once', 'ok', 'Attack #5 disk-fill on web-1.');
  addAttack(
    'disk-fill',
    'web-1',
    '14:00',
    { state: 'orphaned', endedAt: at('14:40'), reason: 'the bot restarted; reverted on recovery' },
    'U0ADMIN',
  );
  audit('14:05', 'U0BOB', 'run-once', 'refused', 'Sorry, only admins may `run-once`.');
  audit('14:10', 'U0BOB', 'status', 'ok', 'Running.');
  addAttack('cpu-burn', 'web-2', '2026-03-04T00:00', { state: 'failed', endedAt: at('2026-03-04T00:10') }, 'U0ADMIN');
}

beforeEach(() => {
  config = testConfig();
  store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
  clock = new FixedClock(WEDNESDAY_MORNING);
  deps = { store, clock, config, renderChart: (t) => renderTimelinePng(t), logger: silentLogger };
  seed();
});
afterEach(() => store.close());

/** The day's summary the report is made of (the domain's numbers, before any words). */
function summaryOf(date?: string): DaySummary {
  const content = reportContent(deps, date);
  if (content.kind !== 'report') throw new Error(`no report: ${content.text}`);
  return content.summary;
}

describe('the daily report', () => {
  it('reports yesterday in the configured zone by default, failures first', async () => {
    const summary = summaryOf();
    expect(summary.day.date).toBe('2026-03-03');
    expect(summary.partial).toBe(false);
    // Only the day's attacks: not the one the evening before, nor the one after midnight.
    expect(summary.attacks.map((r) => r.id)).toEqual(['2', '3', '4', '5']);
    expect(dayMode(summary.attacks)).toBe('dry');
    expect(summary.flagged.map((r) => [r.id, r.state])).toEqual([
      ['4', 'failed'],
      ['5', 'orphaned'],
    ]);
    expect(summary.totals).toMatchObject({ total: 4, completed: 1, reverted: 1, failed: 1, orphaned: 1 });
    expect(summary.dryRuns).toBe(4);
    expect(summary.byHost.map((t) => t.key).sort()).toEqual(['db-1', 'web-1', 'web-2']);
    const reply = await buildReport(deps);
    expect(reply.text).toBe(reportLines(summary, TZ).join('\n'));
  });

  it('in a chat, with the archive on: the short form linked to the archive; the whole report for the console', async () => {
    for (let i = 0; i < 6; i++) {
      addAttack('cpu-burn', 'web-3', '15:00', { state: 'failed', endedAt: at('15:01'), reason: `broke ${i}` });
    }
    const summary = summaryOf();
    expect(summary.flagged.map((r) => r.id)).toEqual(['4', '5', '7', '8', '9', '10', '11', '12']);
    const reply = await buildReport({ ...deps, archiveUrl: 'https://chaos.example.com/' });
    expect(reply.text).toBe(chatReport(summary, TZ, 'https://chaos.example.com', []));
    expect(reply.tables).toBeUndefined();
    // The console shows it whole: every line and table.
    expect(reply.full?.text).toBe(reportLines(summary, TZ).join('\n'));
    expect(reply.full?.tables.map((t) => t.title)).toEqual(['By attack', 'By host', 'Business minutes', 'Commands']);
    expect(reply.full?.tables).toEqual(reportTables(summary, TZ));
    expect(reply.attachments?.[0]?.contentType).toBe('image/png');
  });

  it('finds the failing check of each auto-abort and the unhealthy and halted periods', () => {
    const summary = summaryOf();
    expect(summary.autoAborts.map((a) => [a.record.id, a.failing])).toEqual([['3', 'prom-errors: 2 alerts firing']]);
    expect(summary.timeline.unhealthy).toMatchObject([
      { start: at('11:00'), end: at('11:30'), label: 'api' },
      { start: at('11:32'), end: at('11:33'), label: 'prom-errors' },
    ]);
    // From the stop to the tick after the start (its ticks are recorded 5 ms into each minute).
    expect(summary.timeline.halts).toMatchObject([{ start: at('12:00'), end: at('13:00') + 5, by: 'U0ALICE' }]);
  });

  it('attributes each business-hours minute to what its tick did', () => {
    expect(summaryOf().minutes).toEqual({
      open: 360,
      attacked: 3,
      skipped: [
        { code: 'cooldown', minutes: 199, example: 'cooldown until 13:32' },
        { code: 'halted', minutes: 60, example: 'halted by U0ALICE at 12:00: deploy' },
        { code: 'in-flight', minutes: 38, example: 'an attack is in flight' },
        { code: 'unhealthy', minutes: 30, example: 'unhealthy: api: HTTP 500' },
        { code: 'deaf', minutes: 20, example: 'cannot hear stop: Socket Mode disconnected' },
      ],
      unrecorded: 10,
    });
  });

  it('tallies attacks by attack and by host in its tables', async () => {
    const tables = (await buildReport(deps)).full?.tables;
    const row = (name: string) =>
      tables
        ?.filter((t) => t.title === 'By attack' || t.title === 'By host')
        .flatMap((t) => t.rows)
        .find((r) => r[0] === name)
        ?.slice(1)
        .map(Number);
    // runs, completed, reverted, failed, orphaned
    expect(row('cpu-burn')).toEqual([2, 1, 0, 1, 0]);
    expect(row('net-delay')).toEqual([1, 0, 1, 0, 0]);
    expect(row('disk-fill')).toEqual([1, 0, 0, 0, 1]);
    expect(row('web-1')).toEqual([2, 1, 0, 0, 1]);
    expect(row('db-1')).toEqual([1, 0, 0, 1, 0]);
  });

  it('keeps who ran run-once, stop and start, and the refusals, but not status', () => {
    expect(summaryOf().commands.map((c) => [c.at, c.command, c.actor, c.outcome])).toEqual([
      [at('12:00'), 'stop', 'U0ALICE', 'ok'],
      [at('13:00'), 'start', 'U0ADMIN', 'ok'],
      [at('14:00'), 'run-once', 'U0ADMIN', 'ok'],
      [at('14:05'), 'run-once', 'U0BOB', 'refused'],
    ]);
  });

  it('attaches the timeline as a PNG named for the day, 1200×500 laid out at 2× density: 2400×1000', async () => {
    const reply = await buildReport(deps);
    const [chart] = reply.attachments ?? [];
    expect(chart).toMatchObject({ filename: 'chaoscat-report-2026-03-03.png', contentType: 'image/png' });
    const png = decodePng(chart?.data ?? new Uint8Array());
    expect([png.width, png.height]).toEqual([2400, 1000]);
  });

  it('reports a named date, a day without attacks nor business hours', async () => {
    const summary = summaryOf('2026-02-28');
    expect(summary.day.date).toBe('2026-02-28');
    expect(summary.attacks).toEqual([]);
    expect(summary.flagged).toEqual([]);
    expect(summary.minutes.open).toBe(0);
    expect((await buildReport(deps, '2026-02-28')).text).toBe(reportLines(summary, TZ).join('\n'));
  });

  it('refuses a date that does not exist or has not begun', async () => {
    expect(await buildReport(deps, '2026-02-30')).toEqual({ text: reportNoteText({ kind: 'not-a-date', wanted: '2026-02-30' }) });
    expect(await buildReport(deps, '2026-03-05')).toEqual({
      text: reportNoteText({ kind: 'not-begun', wanted: '2026-03-05', timezone: TZ }),
    });
  });

  it('still answers in text when the chart cannot be drawn', async () => {
    const reply = await buildReport({ ...deps, renderChart: async () => Promise.reject(new Error('no canvas')) });
    expect(reply.attachments).toBeUndefined();
    expect(reply.text).toBe(
      [...reportLines(summaryOf(), TZ), reportNoteText({ kind: 'no-chart', cause: 'no canvas' })].join('\n'),
    );
  });

  it('answers `report` through the bot, and the console writes the PNG and prints its path', async () => {
    const chat = new RecordingAnnouncer();
    const bot = createBot({
      config,
      store,
      executor: new ControlledExecutor(clock),
      health: ScriptedHealth.healthy(clock),
      announcer: chat,
      ears: chat,
      authorizer: chat,
      clock,
      timers: systemTimers,
      random: new ScriptedRandom([0.1]),
      logger: silentLogger,
      report: createReportCommand(deps),
    });
    const dir = tempDir('chaoscat-report-');
    let printed = '';
    const output = new Writable({
      write(chunk, _enc, done) {
        printed += String(chunk);
        done();
      },
    });
    const console = new ConsoleTransport({
      input: process.stdin,
      output,
      timezone: TZ,
      dryRun: true,
      handle: (inbound) => bot.handle(inbound),
      onEnd: () => {},
      attachmentsDir: dir,
    });
    const reply = await bot.handle({ text: 'report 2026-03-03', actor: 'console', transport: 'console' });
    expect(reply.text).toBe(reportLines(summaryOf('2026-03-03'), TZ).join('\n'));
    await console.announce({ kind: 'report', reply });
    expect(printed).toContain(plainText(reply.text.split('\n')[0] ?? '').replace(/\*/g, ''));
    const file = join(dir, 'chaoscat-report-2026-03-03.png');
    const [chart] = reply.attachments ?? [];
    expect(chart?.title).toContain('2026-03-03');
    expect(printed).toContain(`${chart?.title}: ${file}`);
    expect(decodePng(readFileSync(file)).width).toBe(2400);
    expect(store.auditBetween(clock.now(), clock.now() + 1).map((e) => [e.command, e.outcome])).toEqual([['report', 'ok']]);
  });
});
