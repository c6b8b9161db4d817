import { describe, expect, it } from 'vitest';
import { ENDING_STYLE } from '../../../src/adapters/chart/ending-series.js';
import { createChartRenderer, renderTimelinePng, renderTimelineSvg } from '../../../src/adapters/chart/timeline-chart.js';
import { viewOf } from '../../../src/adapters/chart/timeline-frame.js';
import { timelineOption } from '../../../src/adapters/chart/timeline-option.js';
import type { AttackRecord, AttackState } from '../../../src/domain/model.js';
import { type LocalDay, localDay, summarizeDay, type Timeline } from '../../../src/domain/report.js';
import { attackRecord } from '../../support/records.js';
import { colourAt, colourStats, decodePng, PNG_SIGNATURE } from './png.js';

const MIN = 60_000;
const HOURS = { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, start: '10:00', end: '16:00', holidays: [] };

type Row = [host: string, start: string, minutes: number, state: AttackState, over?: Partial<AttackRecord>];

function timeline(timezone: string, attacks: Row[]): Timeline {
  const day = localDay('2026-03-03', timezone) as LocalDay;
  const at = (hhmm: string) => day.start + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * MIN;
  const records: AttackRecord[] = attacks.map(([host, start, minutes, state, over], i) =>
    attackRecord({
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
      rollbackOk: true,
      ...over,
    }),
  );
  return summarizeDay({
    day,
    now: day.end,
    hours: { timezone, ...HOURS, days: [...HOURS.days] },
    attacks: records,
    ticks: [],
    health: [{ healthy: false, checkedAt: at('12:00'), results: [] }],
    audit: [
      { at: at('13:00'), actor: 'U1', command: 'stop', text: 'stop', outcome: 'ok', detail: '', action: 'halted' },
      {
        at: at('14:00'),
        actor: 'U1',
        command: 'start',
        text: 'start',
        outcome: 'ok',
        detail: 'Resumed by <@U1>.',
        action: 'resumed',
      },
    ],
  }).timeline;
}

const dims = (png: { width: number; height: number }) => [png.width, png.height];

const BUSY = timeline('Europe/Berlin', [
  ['web-1', '10:05', 20, 'completed'],
  ['web-2', '11:00', 45, 'failed'],
  ['db-1', '15:00', 30, 'reverted'],
  ['web-1', '15:50', 1, 'orphaned'],
]);

describe('the timeline chart', () => {
  it('is a PNG at twice the layout density: 1200 × 500 laid out, 2400 × 1000 pixels', async () => {
    const png = await renderTimelinePng(BUSY);
    expect(Buffer.from(png.subarray(0, 8)).equals(Buffer.from(PNG_SIGNATURE))).toBe(true);
    const ihdr = Buffer.from(png.subarray(12, 24));
    expect(ihdr.toString('ascii', 0, 4)).toBe('IHDR');
    expect([ihdr.readUInt32BE(4), ihdr.readUInt32BE(8)]).toEqual([2400, 1000]);
    expect(renderTimelineSvg(BUSY)).toMatch(/<svg [^>]*width="1200" height="500"/);
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

  it('takes another size and density', async () => {
    expect(dims(decodePng(await createChartRenderer({ width: 800, height: 360 })(BUSY)))).toEqual([1600, 720]);
    expect(dims(decodePng(await createChartRenderer({ width: 800, height: 360, density: 1 })(BUSY)))).toEqual([800, 360]);
  });

  it('labels hosts, every attack (failed and orphaned in capitals), and local hours in the zone', () => {
    const svg = renderTimelineSvg(BUSY);
    for (const text of [
      'web-1',
      'web-2',
      'db-1',
      '#1 cpu-burn',
      '#2 cpu-burn FAILED',
      '#3 cpu-burn',
      '#4 cpu-burn ORPHANED',
      '10:00',
      '16:00',
      'Europe/Berlin',
      'halted',
    ]) {
      expect(svg).toContain(text);
    }
  });

  it('draws a 2-minute attack as a bar you can see, with its name', () => {
    const svg = renderTimelineSvg(timeline('Europe/Berlin', [['web-1', '11:00', 2, 'reverted', { dryRun: true }]]));
    expect(svg).toContain('#1 cpu-burn (dry)');
    // The bar: a rounded rect path in the reverted colour, drawn in the chart (not the legend): M x y h (width − 2r) a r …
    const bar = svg
      .split('\n')
      .find((l) => l.startsWith('<path d="M') && l.includes('fill="#5470c6"') && !l.includes('ecmeta_ssr_type="legend"'));
    const [, straight, r] = bar?.match(/^<path d="M[\d.]+ [\d.]+h([\d.]+)a([\d.]+) /) ?? [];
    const widths = [Number(straight) + 2 * Number(r)];
    expect(Math.max(...widths)).toBeGreaterThanOrEqual(8);
  });

  it('lifts a name above its bar when the next bar on its row is too close, rather than run into it', () => {
    const svg = renderTimelineSvg(
      timeline('Europe/Berlin', [
        ['web-1', '11:00', 2, 'completed'],
        ['web-1', '11:04', 2, 'completed'],
      ]),
    );
    const y = (name: string) => Number(new RegExp(`<text x="[\\d.]+" y="([\\d.]+)"[^>]*>${name}<`).exec(svg)?.[1]);
    expect(y('#1 cpu-burn')).toBeLessThan(y('#2 cpu-burn'));
  });

  it('marks stopped and aborted attacks, and lists those marks only when the day holds them', () => {
    const cut = timeline('Europe/Berlin', [
      [
        'web-1',
        '11:00',
        10,
        'reverted',
        { reason: 'stopped by U1: deploy', ending: { kind: 'stopped', by: 'U1', note: 'deploy' } },
      ],
      [
        'web-2',
        '12:00',
        10,
        'reverted',
        { reason: 'health check failed: api: HTTP 500', ending: { kind: 'health', failing: 'api: HTTP 500' } },
      ],
    ]);
    expect(legendNames(cut)).toEqual(expect.arrayContaining([ENDING_STYLE.stopped.name, ENDING_STYLE.aborted.name]));
    const svg = renderTimelineSvg(cut);
    expect(svg).toContain('#1 cpu-burn stopped');
    expect(svg).toContain('#2 cpu-burn aborted');
    expect(legendNames(BUSY)).not.toContain(ENDING_STYLE.stopped.name);
    expect(legendNames(BUSY)).not.toContain(ENDING_STYLE.aborted.name);
  });

  it('draws when the bot was not running, and lists it only then', () => {
    const down: Timeline = {
      ...BUSY,
      down: [{ start: BUSY.open[0]?.start ?? 0, end: (BUSY.open[0]?.start ?? 0) + 30 * MIN, label: 'bot not running' }],
    };
    expect(legendNames(down)).toContain('bot not running');
    expect(legendNames(BUSY)).not.toContain('bot not running');
    expect(renderTimelineSvg(down)).toContain('bot not running');
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

const S = 1_000;
/** web-1 held, web-2 recovered (detected 8 s in, recovered 50 min later), db-1 not recovered, web-1 dry-run recovered. */
const JUDGED = timeline('Europe/Berlin', [
  ['web-1', '10:05', 20, 'completed', { verdict: 'held' }],
  ['web-2', '11:00', 45, 'completed', { verdict: 'recovered', ttdMs: 8 * S, ttrMs: 50 * MIN }],
  ['db-1', '13:00', 30, 'failed', { verdict: 'not-recovered', ttdMs: 5 * MIN }],
  ['web-1', '15:00', 10, 'completed', { verdict: 'recovered', ttdMs: S, ttrMs: 2 * S, dryRun: true }],
]);

interface Series {
  readonly name: string;
  readonly data: readonly (readonly number[])[];
  readonly itemStyle: { readonly color: string };
}

function series(t: Timeline): Series[] {
  return timelineOption(t).series as unknown as Series[];
}

function legendNames(t: Timeline): string[] {
  const data = (timelineOption(t).legend as { data: (string | { name: string })[] }).data;
  return data.map((item) => (typeof item === 'string' ? item : item.name));
}

describe('the verdicts on the timeline chart', () => {
  const origin = viewOf(JUDGED).start;
  const bar = (i: number) => JUDGED.bars[i] as Timeline['bars'][number];
  const row = (host: string) => JUDGED.hosts.indexOf(host);
  const named = (name: string) => series(JUDGED).find((s) => s.name === name);

  it('marks each verdict in its colour (held green, recovered amber, not recovered red) after the bar and its span', () => {
    expect(named('held')).toMatchObject({ itemStyle: { color: '#2e9e5b' }, data: [[row('web-1'), bar(0).end - origin, 0]] });
    expect(named('recovered')).toMatchObject({
      itemStyle: { color: '#e6a700' },
      // The recovery came 50 min after detection, past the bar's end: the mark sits after it.
      data: [
        [row('web-2'), bar(1).start + 8 * S + 50 * MIN - origin, 0],
        [row('web-1'), bar(3).end - origin, 1],
      ],
    });
    expect(named('not recovered')).toMatchObject({
      itemStyle: { color: '#c81e1e' },
      data: [[row('db-1'), bar(2).end - origin, 0]],
    });
    expect(named('verdict unknown')).toBeUndefined();
  });

  it('draws the detect → recover span on the attack row, and an open span to the bar end when it did not recover', () => {
    expect(named('detect → recover')?.data).toEqual([
      [row('web-2'), bar(1).start + 8 * S - origin, bar(1).start + 8 * S + 50 * MIN - origin],
      [row('web-1'), bar(3).start + S - origin, bar(3).start + 3 * S - origin],
    ]);
    expect(named('detect → still failing')?.data).toEqual([[row('db-1'), bar(2).start + 5 * MIN - origin, bar(2).end - origin]]);
  });

  it('lists in the legend only what the day holds', () => {
    expect(legendNames(JUDGED)).toEqual([
      'business hours',
      'health gate failing',
      'halted',
      'completed',
      'failed',
      'held',
      'recovered',
      'not recovered',
      'detect → recover',
      'detect → still failing',
      'dry run (probes only)',
    ]);
    expect(legendNames(BUSY)).not.toContain('held');
    expect(legendNames(timeline('Europe/Berlin', []))).toEqual(['business hours', 'health gate failing', 'halted']);
    const quiet: Timeline = { ...BUSY, halts: [], unhealthy: [] };
    expect(legendNames(quiet)).toEqual(['business hours', 'completed', 'reverted', 'failed', 'orphaned']);
  });

  it('still renders the PNG, with the verdict colours in it', async () => {
    const png = decodePng(await renderTimelinePng(JUDGED, { density: 1 }));
    expect(dims(png)).toEqual([1200, 500]);
    const count = (hex: string) => {
      let n = 0;
      for (let y = 0; y < png.height; y++) for (let x = 0; x < png.width; x++) if (colourAt(png, x, y) === hex) n++;
      return n;
    };
    // Marks, spans and legend icons, each a few dozen pixels at least.
    expect(count('#e6a700')).toBeGreaterThan(60);
    expect(count('#c81e1e')).toBeGreaterThan(60);
    expect(count('#2e9e5b')).toBeGreaterThan(30);
    expect(renderTimelineSvg(JUDGED)).toContain('detect → recover');
  });
});
