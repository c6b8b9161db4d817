import { describe, expect, it } from 'vitest';
import { createChartRenderer, renderTimelinePng, renderTimelineSvg } from '../../../src/adapters/chart/timeline-chart.js';
import { viewOf } from '../../../src/adapters/chart/timeline-option.js';
import type { AttackRecord, AttackState } from '../../../src/domain/model.js';
import { type LocalDay, localDay, summarizeDay, type Timeline } from '../../../src/domain/report.js';
import { colourAt, colourStats, decodePng, PNG_SIGNATURE } from './png.js';

const MIN = 60_000;
const HOURS = { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, start: '10:00', end: '16:00', holidays: [] };

function timeline(timezone: string, attacks: [host: string, start: string, minutes: number, state: AttackState][]): Timeline {
  const day = localDay('2026-03-03', timezone) as LocalDay;
  const at = (hhmm: string) => day.start + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * MIN;
  const records: AttackRecord[] = attacks.map(([host, start, minutes, state], i) => ({
    id: String(i + 1),
    attack: 'cpu-burn',
    host,
    trigger: { kind: 'schedule' },
    dryRun: false,
    state,
    createdAt: at(start),
    startedAt: at(start),
    endedAt: at(start) + minutes * MIN,
    deadlineAt: at(start) + (minutes + 1) * MIN,
    durationMs: minutes * MIN,
    exitCode: 0,
    signal: null,
    outputTail: '',
    reason: null,
    rollbackOk: true,
    remotePgid: null,
    unconfirmed: false,
    verdict: null,
    ttdMs: null,
    ttrMs: null,
    verdictDetail: null,
  }));
  return summarizeDay({
    day,
    now: day.end,
    hours: { timezone, ...HOURS, days: [...HOURS.days] },
    attacks: records,
    ticks: [],
    health: [{ healthy: false, checkedAt: at('12:00'), results: [] }],
    audit: [
      { at: at('13:00'), actor: 'U1', command: 'stop', text: 'stop', outcome: 'ok', detail: '' },
      { at: at('14:00'), actor: 'U1', command: 'start', text: 'start', outcome: 'ok', detail: 'Resumed by <@U1>.' },
    ],
  }).timeline;
}

const BUSY = timeline('Europe/Berlin', [
  ['web-1', '10:05', 20, 'completed'],
  ['web-2', '11:00', 45, 'failed'],
  ['db-1', '15:00', 30, 'reverted'],
  ['web-1', '15:50', 1, 'orphaned'],
]);

describe('the timeline chart', () => {
  it('is a PNG of the expected size', async () => {
    const png = await renderTimelinePng(BUSY);
    expect(Buffer.from(png.subarray(0, 8)).equals(Buffer.from(PNG_SIGNATURE))).toBe(true);
    const ihdr = Buffer.from(png.subarray(12, 24));
    expect(ihdr.toString('ascii', 0, 4)).toBe('IHDR');
    expect([ihdr.readUInt32BE(4), ihdr.readUInt32BE(8)]).toEqual([1200, 500]);
  });

  it('has real content: many colours and the failed bar in red', async () => {
    const png = decodePng(await renderTimelinePng(BUSY));
    const busy = colourStats(png);
    // Anti-aliased text and bands give hundreds of colours; a blank image has one.
    expect(busy.distinct).toBeGreaterThan(50);
    expect(busy.nonBackground).toBeGreaterThan(png.width * png.height * 0.2);
    let red = 0;
    for (let y = 0; y < png.height; y++) for (let x = 0; x < png.width; x++) if (colourAt(png, x, y) === '#e03c3c') red++;
    // A 45-minute bar, about 94 px long and 20 px high, plus its legend mark and label.
    expect(red).toBeGreaterThan(1_000);
  });

  it('draws a quieter chart for a day without attacks, still not blank', async () => {
    const png = decodePng(await renderTimelinePng(timeline('Europe/Berlin', [])));
    const empty = colourStats(png);
    expect(empty.distinct).toBeGreaterThan(10);
    expect(empty.nonBackground).toBeLessThan(colourStats(decodePng(await renderTimelinePng(BUSY))).nonBackground);
  });

  it('takes another size', async () => {
    const png = decodePng(await createChartRenderer({ width: 800, height: 360 })(BUSY));
    expect([png.width, png.height]).toEqual([800, 360]);
  });

  it('labels hosts, failed and orphaned attacks, and local hours in the zone', () => {
    const svg = renderTimelineSvg(BUSY);
    for (const text of ['web-1', 'web-2', 'db-1', '#2 cpu-burn', '#4 cpu-burn', '10:00', '16:00', 'Europe/Berlin', 'halted']) {
      expect(svg).toContain(text);
    }
    expect(svg).not.toContain('#1 cpu-burn');
  });

  it('puts ticks on local whole hours in a zone with a half-hour offset', () => {
    const svg = renderTimelineSvg(timeline('Asia/Kolkata', [['web-1', '10:05', 20, 'completed']]));
    expect(svg).toContain('>10:00<');
    expect(svg).not.toMatch(/>\d\d:30</);
  });

  it('frames business hours and every attack, an hour either side, or the whole day when there is nothing', () => {
    const hour = (t: Timeline, hhmm: string) => t.day.start + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * MIN;
    expect(viewOf(BUSY)).toEqual({ start: hour(BUSY, '09:00'), end: hour(BUSY, '17:00') });
    const early = timeline('Europe/Berlin', [['web-1', '07:10', 5, 'completed']]);
    expect(viewOf(early)).toEqual({ start: hour(early, '06:00'), end: hour(early, '17:00') });
    const nothing: Timeline = { ...BUSY, bars: [], open: [], hosts: [] };
    expect(viewOf(nothing)).toEqual({ start: BUSY.day.start, end: BUSY.day.end });
  });
});
