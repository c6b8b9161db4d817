/**
 * The attacks' names on the timeline: placed so none overlap (label-placement.ts), drawn as one
 * silent series over the bars, and those left without room listed in a line under the chart.
 */
import type { CustomSeriesOption, CustomSeriesRenderItem } from 'echarts';
import { DateTime } from 'luxon';
import type { AttackBar, Timeline } from '../../domain/report.js';
import { FONT_FAMILY } from './font.js';
import { LABEL_STYLE, type LabelBar, type Placement, placeLabels, textWidth } from './label-placement.js';
import { bodyOf, type Frame, rowOf } from './timeline-frame.js';

export const NOTE_FONT_SIZE = 12;

/** "#4 cpu-burn (dry) stopped": what the report's lines call it. */
export function barLabel(b: AttackBar): { long: string; short: string } {
  const dry = b.dryRun ? ' (dry)' : '';
  const how = b.state === 'failed' || b.state === 'orphaned' ? ` ${b.state.toUpperCase()}` : b.ending ? ` ${b.ending}` : '';
  return { long: `#${b.id} ${b.attack}${dry}${how}`, short: `#${b.id}` };
}

export interface TimelineLabels extends Placement {
  /** The bars by id, for their colour, time and row. */
  readonly bars: ReadonlyMap<string, AttackBar>;
}

/** The names of the day's attacks on `frame`, earliest attack first served. */
export function timelineLabels(t: Timeline, frame: Frame, row: ReadonlyMap<string, number>): TimelineLabels {
  const ordered = [...t.bars].sort((a, b) => a.start - b.start || Number(a.id) - Number(b.id));
  const bars: LabelBar[] = ordered.map((b) => {
    const r = row.get(b.host) ?? 0;
    const band = rowOf(frame, r);
    return {
      id: b.id,
      ...barLabel(b),
      body: bodyOf(frame, b, r),
      barTop: band.middle - band.bar / 2,
      middle: band.middle,
      rowTop: band.top,
      row: r,
    };
  });
  return { ...placeLabels(bars, frame.grid), bars: new Map(ordered.map((b) => [b.id, b])) };
}

/** data: [row, start, textX, textY, index]; row and start only tell ECharts which part of the plot this is. */
const renderLabel =
  (labels: TimelineLabels, colourOf: (b: AttackBar) => string): CustomSeriesRenderItem =>
  (_params, api) => {
    const label = labels.placed[Number(api.value(4))];
    const bar = label && labels.bars.get(label.id);
    if (!label || !bar) return null;
    return {
      type: 'text',
      x: Number(api.value(2)),
      y: Number(api.value(3)),
      style: {
        text: label.text,
        fill: colourOf(bar),
        fontSize: LABEL_STYLE.fontSize,
        fontFamily: FONT_FAMILY,
        verticalAlign: 'middle',
      },
    };
  };

/** The names as one series over the bars and their marks; it has no legend entry. */
export function labelSeries(
  labels: TimelineLabels,
  row: ReadonlyMap<string, number>,
  origin: number,
  colourOf: (b: AttackBar) => string,
): CustomSeriesOption[] {
  if (labels.placed.length === 0) return [];
  const data = labels.placed.map((p, i) => {
    const bar = labels.bars.get(p.id);
    return [row.get(bar?.host ?? '') ?? 0, (bar?.start ?? origin) - origin, p.textX, p.textY, i];
  });
  return [
    {
      type: 'custom',
      name: 'names',
      z: 14,
      silent: true,
      renderItem: renderLabel(labels, colourOf),
      encode: { x: 1, y: 0 },
      data,
    },
  ];
}

/**
 * "Not labelled (no room): #3 cpu-burn 10:02, #4 disk-fill 10:03, +12 more": the attacks left
 * without a name, earliest first, as many as fit in `width` pixels; empty when none was left out.
 */
export function notLabelled(labels: TimelineLabels, zone: string, width: number): string {
  const items = labels.dropped.map((d) => {
    const bar = labels.bars.get(d.id);
    const at = bar ? ` ${DateTime.fromMillis(bar.start, { zone }).toFormat('HH:mm')}` : '';
    return `#${d.id}${bar ? ` ${bar.attack}` : ''}${at}`;
  });
  if (items.length === 0) return '';
  const head = 'Not labelled (no room): ';
  const fits = (text: string) => textWidth(text, NOTE_FONT_SIZE) <= width;
  if (fits(head + items.join(', '))) return head + items.join(', ');
  // The most that fit with the count of the rest after them.
  let line = '';
  for (let n = 1; n < items.length; n++) {
    const next = `${head}${items.slice(0, n).join(', ')}, +${items.length - n} more`;
    if (!fits(next)) break;
    line = next;
  }
  return line || `${head}${items.length} attacks`;
}
