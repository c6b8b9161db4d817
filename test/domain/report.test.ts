import { describe, expect, it } from 'vitest';
import type { BusinessHours } from '../../src/domain/business-hours.js';
import type { AttackRecord, HealthReport, SkipCode } from '../../src/domain/model.js';
import {
  type DayInput,
  dayMode,
  endingOf,
  type LocalDay,
  localDay,
  previousDate,
  type ReportAudit,
  type ReportTick,
  summarizeDay,
} from '../../src/domain/report.js';
import { attackRecord } from '../support/records.js';

const TZ = 'America/Los_Angeles';
const MIN = 60_000;
const HOURS: BusinessHours = {
  timezone: TZ,
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '10:00',
  end: '16:00',
  holidays: [],
};
const DAY = localDay('2026-03-03', TZ) as LocalDay;
const AFTER = DAY.end + 9 * 60 * MIN;

/** Epoch ms of a local time on the report day. */
function at(hhmm: string, day: LocalDay = DAY): number {
  const [h, m] = hhmm.split(':').map(Number);
  return day.start + ((h ?? 0) * 60 + (m ?? 0)) * MIN;
}

let nextId = 1;
function attack(over: Partial<AttackRecord> & { at: string }): AttackRecord {
  const created = at(over.at);
  return attackRecord({
    id: String(nextId++),
    attack: 'cpu-burn',
    host: 'web-1',
    trigger: { kind: 'schedule' },
    dryRun: false,
    state: 'completed',
    createdAt: created,
    startedAt: created + 1_000,
    endedAt: created + 5 * MIN,
    deadlineAt: created + 6 * MIN,
    durationMs: 5 * MIN,
    exitCode: 0,
    rollbackOk: true,
    ...over,
  });
}

function skips(from: string, count: number, code: SkipCode, reason: string = code, stepMin = 1): ReportTick[] {
  return Array.from({ length: count }, (_, i) => ({
    at: at(from) + i * stepMin * MIN + 7,
    outcome: { kind: 'skipped' as const, code, reason },
  }));
}

function input(over: Partial<DayInput> = {}): DayInput {
  return { day: DAY, now: AFTER, hours: HOURS, attacks: [], ticks: [], health: [], audit: [], ...over };
}

function unhealthy(time: string, name = 'api', reason = 'HTTP 500'): HealthReport {
  return { healthy: false, checkedAt: at(time), results: [{ name, kind: 'http', healthy: false, reason, durationMs: 3 }] };
}
function healthy(time: string): HealthReport {
  return {
    healthy: true,
    checkedAt: at(time),
    results: [{ name: 'api', kind: 'http', healthy: true, reason: 'HTTP 200', durationMs: 3 }],
  };
}

/** An audit row with the action the bot records for it: a stop halts, a start that resumed resumes. */
function audit(time: string, command: string, actor: string, outcome = 'ok', detail = ''): ReportAudit {
  const halts = command === 'stop' && (outcome === 'ok' || outcome === 'error');
  const resumes = command === 'start' && outcome === 'ok' && detail.startsWith('Resumed');
  const action = halts ? 'halted' : resumes ? 'resumed' : command === 'stop' || command === 'start' ? 'none' : null;
  return { at: at(time), actor, transport: 'slack-mention', command, text: command, outcome, detail, action } as ReportAudit;
}

describe('localDay', () => {
  it.each([
    ['an ordinary day is 24 hours', '2026-03-03', 24],
    ['the spring DST change makes a 23-hour day', '2026-03-08', 23],
    ['the autumn DST change makes a 25-hour day', '2026-11-01', 25],
  ])('%s', (_name, date, hours) => {
    const day = localDay(date, TZ) as LocalDay;
    expect((day.end - day.start) / (60 * MIN)).toBe(hours);
  });

  it('refuses a date that does not exist', () => {
    expect(localDay('2026-02-30', TZ)).toBeNull();
    expect(localDay('yesterday', TZ)).toBeNull();
  });

  it('takes yesterday in the zone, not in UTC', () => {
    // 02:00 UTC on the 4th is still the 3rd in Los Angeles, so yesterday is the 2nd.
    expect(previousDate(Date.parse('2026-03-04T02:00:00Z'), TZ)).toBe('2026-03-02');
  });
});

describe('summarizeDay', () => {
  it('lists failed and orphaned attacks, oldest first, and tallies by attack and host', () => {
    const s = summarizeDay(
      input({
        attacks: [
          attack({ at: '14:00', state: 'orphaned', host: 'web-2', attack: 'disk-fill' }),
          attack({ at: '10:00' }),
          attack({ at: '11:00', state: 'failed', host: 'db-1' }),
          attack({ at: '12:00', state: 'reverted', host: 'web-2' }),
        ],
      }),
    );
    expect(s.flagged.map((r) => r.state)).toEqual(['failed', 'orphaned']);
    expect(s.totals).toMatchObject({ total: 4, completed: 1, reverted: 1, failed: 1, orphaned: 1, unfinished: 0 });
    expect(s.byAttack.map((t) => [t.key, t.total])).toEqual([
      ['cpu-burn', 3],
      ['disk-fill', 1],
    ]);
    expect(s.byHost.map((t) => [t.key, t.total])).toEqual([
      ['web-2', 2],
      ['db-1', 1],
      ['web-1', 1],
    ]);
    expect(s.timeline.hosts).toEqual(['db-1', 'web-1', 'web-2']);
  });

  it('attributes every business minute to the tick that covered it', () => {
    const ticks: ReportTick[] = [
      { at: at('10:00') + 7, outcome: { kind: 'attacked', attackId: '1', attack: 'cpu-burn', host: 'web-1' } },
      ...skips('10:01', 9, 'in-flight'),
      ...skips('10:10', 110, 'cooldown'),
      ...skips('12:00', 60, 'halted'),
      ...skips('13:00', 20, 'deaf', 'cannot hear stop: socket closed'),
      ...skips('13:20', 30, 'unhealthy'),
      // 13:50–15:59: nothing recorded (the bot was down).
    ];
    const m = summarizeDay(input({ ticks })).minutes;
    expect(m.open).toBe(360);
    expect(m.attacked).toBe(1);
    expect(Object.fromEntries(m.skipped.map((r) => [r.code, r.minutes]))).toEqual({
      'in-flight': 9,
      cooldown: 110,
      halted: 60,
      deaf: 20,
      unhealthy: 30,
    });
    expect(m.skipped[0]?.code).toBe('cooldown');
    expect(m.skipped.find((r) => r.code === 'deaf')?.example).toBe('cannot hear stop: socket closed');
    expect(m.unrecorded).toBe(130);
  });

  it('lets one tick stand for the typical gap when the schedule ticks every five minutes', () => {
    const m = summarizeDay(input({ ticks: skips('10:00', 72, 'cooldown', 'cooldown', 5) })).minutes;
    expect(m.skipped).toEqual([{ code: 'cooldown', minutes: 360, example: 'cooldown' }]);
    expect(m.unrecorded).toBe(0);
  });

  it('counts no business minutes on a weekend or holiday', () => {
    const saturday = localDay('2026-03-07', TZ) as LocalDay;
    expect(summarizeDay(input({ day: saturday, now: saturday.end })).minutes.open).toBe(0);
    const holiday = summarizeDay(input({ hours: { ...HOURS, holidays: ['2026-03-03'] } }));
    expect(holiday.minutes.open).toBe(0);
    expect(holiday.timeline.open).toEqual([]);
  });

  it('counts only the minutes before now for today', () => {
    const s = summarizeDay(input({ now: at('11:30') }));
    expect(s.partial).toBe(true);
    expect(s.minutes.open).toBe(90);
    expect(s.minutes.unrecorded).toBe(90);
  });

  it('takes the business-hours window over midnight into the next morning', () => {
    const night = { ...HOURS, start: '22:00', end: '02:00' };
    // Monday 2026-03-02 opens 22:00 and runs to Tuesday 02:00: Tuesday shows 00:00–02:00 and 22:00–24:00.
    const s = summarizeDay(input({ hours: night }));
    expect(s.minutes.open).toBe(240);
    expect(s.timeline.open.map((b) => [b.start, b.end])).toEqual([
      [DAY.start, at('02:00')],
      [at('22:00'), DAY.end],
    ]);
  });

  it('names the failing check of an auto-abort from the health check that triggered it', () => {
    const aborted = attack({
      at: '11:30',
      state: 'reverted',
      startedAt: at('11:30'),
      endedAt: at('11:33'),
      reason: 'health check failed: api: HTTP 500: reverted in 1s',
      ending: { kind: 'health', failing: 'api: HTTP 500', revert: 'reverted' },
    });
    const noCheck = attack({
      at: '14:00',
      state: 'failed',
      reason: 'health check failed: prom: 2 alerts firing: reverted in 2s',
      ending: { kind: 'health', failing: 'prom: 2 alerts firing', revert: 'reverted' },
    });
    const s = summarizeDay(
      input({ attacks: [aborted, noCheck], health: [healthy('11:30'), unhealthy('11:32', 'api', 'HTTP 503')] }),
    );
    expect(s.autoAborts.map((a) => a.failing)).toEqual(['api: HTTP 503', 'prom: 2 alerts firing']);
  });

  it('draws unhealthy periods until the next healthy check, merging repeated failures', () => {
    const health = [
      healthy('10:00'),
      unhealthy('11:00'),
      unhealthy('11:01', 'db'),
      unhealthy('11:02'),
      healthy('11:02'),
      unhealthy('15:59'),
    ];
    const bands = summarizeDay(input({ health })).timeline.unhealthy;
    expect(bands.map((b) => [b.start, b.end, b.label])).toEqual([
      [at('11:00'), at('11:02'), 'api, db'],
      // No check follows: it holds for one tick span.
      [at('15:59'), at('16:00'), 'api'],
    ]);
  });

  it('draws halts from stop and start, from halted ticks, and from a start with no stop that day', () => {
    const s = summarizeDay(
      input({
        audit: [
          audit('09:00', 'start', 'U0ADMIN', 'ok', 'Resumed by <@U0ADMIN>.'),
          audit('12:00', 'stop', 'U0ALICE', 'ok', 'Halted by <@U0ALICE>.'),
          audit('12:30', 'start', 'U0BOB', 'refused', 'Sorry, only admins may `start`.'),
          audit('13:00', 'start', 'U0ADMIN', 'ok', 'Resumed by <@U0ADMIN>.'),
          audit('13:30', 'start', 'U0ADMIN', 'ok', 'Not halted: the scheduler is already running.'),
          audit('15:00', 'status', 'U0BOB'),
        ],
        // A health failure latched a halt at 14:00 (no audit row) until 14:30.
        ticks: skips('14:00', 30, 'halted', 'halted by health-gate at 14:00'),
      }),
    );
    expect(s.timeline.halts.map((b) => [b.start, b.end, b.label])).toEqual([
      [DAY.start, at('09:00'), 'halted'],
      [at('12:00'), at('13:00'), 'stop by U0ALICE'],
      [at('14:00') + 7, at('14:30') + 7, 'halted by health-gate at 14:00'],
    ]);
    expect(s.commands.map((c) => c.command)).toEqual(['start', 'stop', 'start', 'start', 'start']);
  });

  it('keeps a halt open to the end of the day when nobody started again', () => {
    const s = summarizeDay(input({ audit: [audit('15:00', 'stop', 'U0ALICE')] }));
    expect(s.timeline.halts).toEqual([{ start: at('15:00'), end: DAY.end, label: 'stop by U0ALICE', by: 'U0ALICE' }]);
  });

  it('draws the detect → recover span from the fault start: closed when recovered, open to the bar end when not', () => {
    const verdicts = [
      attack({ at: '11:00', verdict: 'recovered', ttdMs: 8_000, ttrMs: 20_000 }),
      attack({ at: '12:00', verdict: 'not-recovered', ttdMs: 5_000 }),
      attack({ at: '13:00', verdict: 'held' }),
      attack({ at: '14:00', verdict: 'not-recovered', ttdMs: null }),
      attack({ at: '15:00', verdict: 'recovered', ttdMs: 400_000, ttrMs: 2_000, dryRun: true }),
    ];
    const bars = summarizeDay(input({ attacks: verdicts })).timeline.bars;
    const fault = (hhmm: string) => at(hhmm) + 1_000;
    expect(bars.map((b) => [b.verdict, b.dryRun, b.span])).toEqual([
      ['recovered', false, { start: fault('11:00') + 8_000, end: fault('11:00') + 28_000, open: false }],
      ['not-recovered', false, { start: fault('12:00') + 5_000, end: at('12:05'), open: true }],
      ['held', false, null],
      // Nothing answered after the fault: no detection to draw from.
      ['not-recovered', false, null],
      // Detected after the fault ended: the span lies past the bar.
      ['recovered', true, { start: fault('15:00') + 400_000, end: fault('15:00') + 402_000, open: false }],
    ]);
  });

  it('puts the verdicts that need a look before failed attacks', () => {
    const s = summarizeDay(
      input({
        attacks: [
          attack({ at: '10:00', state: 'failed' }),
          attack({ at: '11:00', verdict: 'recovered', ttdMs: 1_000, ttrMs: 1_000 }),
          attack({ at: '12:00', verdict: 'not-recovered', ttdMs: 1_000 }),
        ],
      }),
    );
    expect(s.flagged.map((r) => r.verdict ?? r.state)).toEqual(['not-recovered', 'recovered', 'failed']);
    expect(s.totals.verdicts).toMatchObject({ held: 0, recovered: 1, notRecovered: 1 });
  });

  it('shows an attack still in flight up to now', () => {
    const running = attack({ at: '11:00', state: 'running', endedAt: null, deadlineAt: at('13:00') });
    const s = summarizeDay(input({ attacks: [running], now: at('11:20') }));
    expect(s.totals.unfinished).toBe(1);
    expect(s.timeline.bars[0]).toMatchObject({ start: at('11:00') + 1_000, end: at('11:20') });
  });
});

describe('honest reports (issue 14)', () => {
  it('ends a halt at the start whose recorded action is "resumed", whatever its reply says', () => {
    const withAction = (a: ReportAudit, action: string): ReportAudit => ({ ...a, action });
    const s = summarizeDay(
      input({
        audit: [
          withAction(audit('12:00', 'stop', 'U0ALICE', 'ok', 'Stopped everything.'), 'halted'),
          // A start that changed nothing, whatever its words.
          withAction(audit('12:30', 'start', 'U0ADMIN', 'ok', 'Resumed? No: still halted.'), 'none'),
          withAction(audit('13:00', 'start', 'U0ADMIN', 'ok', 'Back to work, the scheduler runs again.'), 'resumed'),
        ],
      }),
    );
    expect(s.timeline.halts.map((b) => [b.start, b.end])).toEqual([[at('12:00'), at('13:00')]]);
  });

  it('says dry or live from the attacks themselves: a day can hold both', () => {
    const live = attack({ at: '11:00' });
    const dry = attack({ at: '12:00', dryRun: true });
    expect(dayMode([live, dry])).toBe('mixed');
    expect(dayMode([live])).toBe('live');
    expect(dayMode([dry])).toBe('dry');
    expect(dayMode([])).toBe('none');
  });

  it('names how an attack was cut short from its recorded ending, never its sentence', () => {
    expect(endingOf({ ending: { kind: 'stopped', by: 'U1', note: '' } })).toBe('stopped');
    expect(endingOf({ ending: { kind: 'health', failing: 'api: HTTP 500' } })).toBe('aborted');
    // Issue 23: these two were missing from the report's automatic aborts, read from the sentence.
    expect(endingOf({ ending: { kind: 'deviation', failing: 'checkout: HTTP 503' } })).toBe('aborted');
    expect(endingOf({ ending: { kind: 'deaf', forMs: 60_000, why: 'socket closed' } })).toBe('aborted');
    expect(endingOf({ ending: { kind: 'shutdown', signal: 'SIGTERM' } })).toBeNull();
    expect(endingOf({ ending: { kind: 'completed' } })).toBeNull();
    expect(endingOf({ ending: null })).toBeNull();
    expect(endingOf({})).toBeNull();
  });

  it('draws "bot not running" inside business hours where no tick came for longer than a few tick intervals', () => {
    const ticks = [...skips('09:50', 40, 'closed'), ...skips('11:00', 20, 'cooldown'), ...skips('11:22', 10, 'cooldown')];
    const s = summarizeDay(input({ ticks }));
    // Ticks every minute until 10:29; none 10:30–11:00; a 2-minute gap at 11:20 is no outage; none after 11:31.
    expect(s.timeline.down?.map((b) => [b.start, b.end])).toEqual([
      [at('10:30') + 7, at('11:00') + 7],
      [at('11:32') + 7, at('16:00')],
    ]);
  });

  it('draws no outage from no ticks at all (they may have been pruned): nothing from a guess', () => {
    expect(summarizeDay(input()).timeline.down).toEqual([]);
  });
});
