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
import { buildReport, createReportCommand, type ReportDeps } from '../../../src/app/reports/report.js';
import type { Config } from '../../../src/config/config.js';
import type { SkipCode, TickOutcome } from '../../../src/domain/model.js';
import type { AuditEntry } from '../../../src/ports/store.js';
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

describe('the daily report', () => {
  it('reports yesterday in the configured zone by default, failures first', async () => {
    const reply = await buildReport(deps);
    const lines = plainText(reply.text).split('\n');
    expect(lines[0]).toBe('*ChaosCat report for Tue 2026-03-03* (America/Los_Angeles) — dry run only: no host was touched');
    expect(lines[1]).toBe('*Needs a look (2):*');
    expect(lines[2]).toBe('• #4 cpu-burn on db-1 *FAILED* at 13:22, rollback FAILED — exit 127: stress-ng: command not found');
    expect(lines[3]).toBe('• #5 disk-fill on web-1 *ORPHANED* at 14:40 — the bot restarted; reverted on recovery');
    expect(lines[4]).toBe('*4 attacks* on 3 hosts: 1 completed, 1 reverted, 1 failed, 1 orphaned (all dry run).');
    expect(reply.text.indexOf('FAILED')).toBeLessThan(reply.text.indexOf('*4 attacks*'));
  });

  it('in a chat, with the archive on: the headline, the attacks that need a look linked to their pages, the link to the day', async () => {
    for (let i = 0; i < 6; i++) {
      addAttack('cpu-burn', 'web-3', '15:00', { state: 'failed', endedAt: at('15:01'), reason: `broke ${i}` });
    }
    const reply = await buildReport({ ...deps, archiveUrl: 'https://chaos.example.com/' });
    const lines = plainText(reply.text).split('\n');
    expect(lines[0]).toMatch(/^\*ChaosCat report for Tue 2026-03-03\*/);
    expect(lines[1]).toBe('*10 attacks* on 4 hosts: 1 completed, 1 reverted, 7 failed, 1 orphaned (all dry run).');
    expect(lines[2]).toBe('*Needs a look (8):*');
    expect(lines.slice(3, 8)).toHaveLength(5);
    expect(lines[3]).toBe(
      '• #4 (https://chaos.example.com/attack/4) cpu-burn on db-1 *FAILED* at 13:22, rollback FAILED — exit 127: stress-ng: command not found',
    );
    expect(lines[8]).toBe("• +3 more on the day's page");
    expect(reply.text).toContain('<https://chaos.example.com/day/2026-03-03|2026-03-03 in the archive>');
    expect(reply.tables).toBeUndefined();
    // The console shows it whole: every line and table.
    expect(reply.full?.text).toContain('*Business hours (6h):*');
    expect(reply.full?.tables.map((t) => t.title)).toEqual(['By attack', 'By host', 'Business minutes', 'Commands']);
    expect(reply.attachments?.[0]?.contentType).toBe('image/png');
  });

  it('names the failing check of each auto-abort and the unhealthy and halted periods', async () => {
    const text = plainText((await buildReport(deps)).text);
    expect(text).toContain(
      '*Aborted by the bot (health, steady state, deafness) (1):* #3 net-delay on web-2 at 11:33 — prom-errors: 2 alerts firing',
    );
    expect(text).toContain('*Unhealthy:* 11:00–11:30 (api), 11:32–11:33 (prom-errors)');
    expect(text).toContain('*Halted:* 12:00–13:00 (stop by @U0ALICE)');
  });

  it('says how much of business hours was skipped and why', async () => {
    const { text, full } = await buildReport(deps);
    const tables = full?.tables;
    expect(text).toContain(
      '*Business hours (6h):* attacks started in 3m; skipped 5h 47m — cooldown 3h 19m, halted 1h, attack in flight 38m, ' +
        'unhealthy 30m, Slack down (cannot hear stop) 20m; no record (bot not running) 10m.',
    );
    const rows = tables?.find((t) => t.title === 'Business minutes')?.rows ?? [];
    const minutes = Object.fromEntries(rows.map((r) => [r[0], Number(r[1])]));
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

  it('says who ran run-once, stop and start, and counts refusals', async () => {
    const { text, full } = await buildReport(deps);
    const tables = full?.tables;
    expect(text).toContain(
      '*Commands:* run-once ×1 (<@U0ADMIN>) · stop ×1 (<@U0ALICE>) · start ×1 (<@U0ADMIN>) · 1 refused or invalid',
    );
    const commands = tables?.find((t) => t.title === 'Commands')?.rows.map((r) => plainText(r.slice(0, 4).join(' ')));
    expect(commands).toContain('12:00 PST stop @U0ALICE ok');
    expect(commands).toContain('14:05 PST run-once @U0BOB refused');
    expect(commands?.join('\n')).not.toMatch(/status/);
  });

  it('attaches the timeline as a PNG named for the day, 1200×500 laid out at 2× density: 2400×1000', async () => {
    const reply = await buildReport(deps);
    const [chart] = reply.attachments ?? [];
    expect(chart).toMatchObject({ filename: 'chaoscat-report-2026-03-03.png', contentType: 'image/png' });
    const png = decodePng(chart?.data ?? new Uint8Array());
    expect([png.width, png.height]).toEqual([2400, 1000]);
  });

  it('reports a named date, and says so for a day without attacks', async () => {
    const reply = await buildReport(deps, '2026-02-28');
    expect(reply.text).toContain('*ChaosCat report for Sat 2026-02-28*');
    expect(reply.text).toContain('No attacks.');
    expect(reply.text).toContain('*Business hours:* none on this day.');
    expect(reply.text).not.toContain('Needs a look');
  });

  it('refuses a date that does not exist or has not begun', async () => {
    expect((await buildReport(deps, '2026-02-30')).text).toMatch(/not a date/);
    expect((await buildReport(deps, '2026-03-05')).text).toMatch(/has not begun/);
  });

  it('still answers in text when the chart cannot be drawn', async () => {
    const reply = await buildReport({ ...deps, renderChart: async () => Promise.reject(new Error('no canvas')) });
    expect(reply.attachments).toBeUndefined();
    expect(reply.text).toContain('(The chart could not be drawn: no canvas.)');
    expect(reply.text).toContain('*4 attacks*');
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
    await console.announce({ kind: 'report', reply });
    expect(printed).toContain('ChaosCat report for Tue 2026-03-03');
    const file = join(dir, 'chaoscat-report-2026-03-03.png');
    expect(printed).toContain(`ChaosCat timeline 2026-03-03 (America/Los_Angeles): ${file}`);
    expect(decodePng(readFileSync(file)).width).toBe(2400);
    expect(store.auditBetween(clock.now(), clock.now() + 1).map((e) => [e.command, e.outcome])).toEqual([['report', 'ok']]);
  });
});
