import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { ReportAudit, ReportTick } from '../../src/domain/report.js';
import { haltBands } from '../../src/domain/report-bands.js';

const TZ = 'Europe/Berlin';
const at = (hhmm: string) => DateTime.fromISO(`2026-12-01T${hhmm}`, { zone: TZ }).toMillis();
const day = {
  date: '2026-12-01',
  timezone: TZ,
  start: at('00:00'),
  end: DateTime.fromISO('2026-12-02T00:00', { zone: TZ }).toMillis(),
};

const tick = (hhmm: string, code: 'halted' | 'cooldown' | 'in-flight'): ReportTick => ({
  at: at(hhmm),
  outcome: { kind: 'skipped', code, reason: code },
});
const resume = (hhmm: string): ReportAudit =>
  ({
    at: at(hhmm),
    actor: 'U0ADMIN',
    transport: 'slack',
    command: 'start',
    text: 'start',
    outcome: 'ok',
    detail: '',
    action: 'resumed',
  }) as ReportAudit;

/**
 * Issue 26: a halt no `stop` opened (the verdict latched it at 17:46) was drawn from 00:00. It
 * starts where the day's ticks first saw it, never before the evidence.
 */
describe('a halt band with no stop row', () => {
  it('starts at the first tick that saw the halt, not at midnight', () => {
    const ticks = [tick('17:40', 'in-flight'), tick('17:45', 'in-flight'), tick('17:47', 'halted'), tick('17:48', 'halted')];
    const bands = haltBands([resume('17:49')], ticks, 60_000, day, day.end);
    expect(bands).toHaveLength(1);
    expect(DateTime.fromMillis(bands[0]?.start ?? 0, { zone: TZ }).toFormat('HH:mm')).toBe('17:47');
    expect(DateTime.fromMillis(bands[0]?.end ?? 0, { zone: TZ }).toFormat('HH:mm')).toBe('17:49');
  });

  it('with no halted tick, starts after the last tick that ran, else at the start of the day (carried over)', () => {
    const afterRun = haltBands([resume('17:49')], [tick('17:40', 'in-flight')], 60_000, day, day.end);
    expect(DateTime.fromMillis(afterRun[0]?.start ?? 0, { zone: TZ }).toFormat('HH:mm')).toBe('17:40');
    const carried = haltBands([resume('09:10')], [], 60_000, day, day.end);
    expect(carried[0]?.start).toBe(day.start);
  });

  it('a halt the bot latched itself (its own audit row) starts at the latch: 17:46, not at a tick', () => {
    const latched = {
      at: at('17:46'),
      actor: 'verdict',
      transport: 'system',
      command: 'halt',
      text: '#7 cpu-burn did not recover',
      outcome: 'ok',
      detail: '#7 cpu-burn did not recover',
      action: 'halted',
    } as ReportAudit;
    const ticks = [tick('17:47', 'halted'), tick('17:48', 'halted')];
    const bands = haltBands([latched, resume('17:49')], ticks, 60_000, day, day.end);
    expect(bands).toHaveLength(1);
    expect(DateTime.fromMillis(bands[0]?.start ?? 0, { zone: TZ }).toFormat('HH:mm')).toBe('17:46');
    expect(bands[0]?.label).toBe('halted by verdict');
  });
});
